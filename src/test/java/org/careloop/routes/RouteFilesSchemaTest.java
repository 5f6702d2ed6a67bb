package org.careloop.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file in {@code routes/} is a valid Camel YAML DSL document: it validates against the JSON schema that ships in
 * the camel-yaml-dsl jar, as Kaoto and the Camel tooling read it. A value that is a whole placeholder
 * ({@code "{{careloop.replies.enabled}}"}) is first resolved from {@code application.properties}, as Camel does
 * before it binds the value (the schema types {@code autoStartup} as a boolean).
 */
class RouteFilesSchemaTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]+)}}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Stream<Path> routeFiles() throws Exception {
        return Files.list(Path.of("routes")).filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void theRouteFileValidatesAgainstTheCamelYamlDslSchema(Path file) throws Exception {
        Schema schema;
        try (InputStream json = YamlRoutesBuilderLoader.class.getResourceAsStream("/schema/camelYamlDsl.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(json);
        }
        Properties settings = new Properties();
        try (Reader properties = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            settings.load(properties);
        }

        List<Error> errors = schema.validate(resolved(YAML.readTree(file.toFile()), settings));

        assertThat(errors).as("%s against the Camel YAML DSL schema", file).isEmpty();
    }

    /** The document with each whole-placeholder value replaced by the setting, typed as YAML would type it. */
    private static JsonNode resolved(JsonNode node, Properties settings) {
        if (node instanceof ObjectNode object) {
            object.fieldNames().forEachRemaining(name -> object.set(name, resolved(object.get(name), settings)));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, resolved(array.get(i), settings));
            }
        } else if (node.isTextual()) {
            Matcher whole = PLACEHOLDER.matcher(node.asText());
            if (whole.matches() && settings.containsKey(whole.group(1))) {
                String value = settings.getProperty(whole.group(1)).trim();
                return value.equals("true") || value.equals("false") ? BooleanNode.valueOf(Boolean.parseBoolean(value))
                        : value.matches("-?\\d+") ? LongNode.valueOf(Long.parseLong(value)) : TextNode.valueOf(value);
            }
        }
        return node;
    }
}
