package org.careloop.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.careloop.app.SettingsBeans;
import org.careloop.settings.SettingsReader;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is the reference for every careloop.* setting: each key of
 * application.properties has its row, in the file's order, with the file's default, and no row names a key the file
 * does not have. Each key is read by exactly one typed settings group, so its default is written once, in the file.
 */
class ConfigurationReferenceTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(careloop\\.[^`]+)` \\| (.*?) \\| (.+) \\|$",
            Pattern.MULTILINE);

    @Test
    void everySettingHasItsRowWithItsDefault() throws IOException {
        Map<String, String> settings = settings();
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher row = ROW.matcher(configurationSection());
        while (row.find()) {
            rows.put(row.group(1), row.group(2));
        }

        assertThat(rows.keySet()).as("the README's rows, in application.properties' order")
                .containsExactlyElementsOf(settings.keySet());
        settings.forEach((key, value) -> {
            String documented = rows.get(key);
            if (value.isEmpty()) {
                assertThat(documented).as(key).isEqualTo("*(empty)*");
            } else if (!documented.contains("…")) {
                assertThat(documented).as(key).isEqualTo("`" + value + "`");
            }
        });
    }

    @Test
    void everySettingIsReadByExactlyOneSettingsGroup() throws IOException {
        Map<String, String> settings = settings();
        Map<String, List<Integer>> readers = new LinkedHashMap<>();
        for (int group = 0; group < SettingsBeans.GROUPS.size(); group++) {
            int reading = group;
            SettingsBeans.GROUPS.get(group).apply(new SettingsReader(key -> {
                readers.computeIfAbsent(key, k -> new ArrayList<>()).add(reading);
                return Optional.ofNullable(settings.get(key)).map(value -> resolved(value, settings));
            }));
        }

        assertThat(readers.keySet()).as("the keys the settings groups read")
                .containsExactlyInAnyOrderElementsOf(settings.keySet());
        readers.forEach((key, groups) -> assertThat(groups).as("the groups reading " + key).hasSize(1));
    }

    /** A value with its {{placeholders}} resolved from the file, as Camel's properties component does. */
    private static String resolved(String value, Map<String, String> settings) {
        Matcher placeholder = Pattern.compile("\\{\\{([^}]+)}}").matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (placeholder.find()) {
            placeholder.appendReplacement(resolved,
                    Matcher.quoteReplacement(resolved(settings.get(placeholder.group(1)), settings)));
        }
        return placeholder.appendTail(resolved).toString();
    }

    /** careloop.* keys of the packaged defaults, in the file's order, with their values. */
    private static Map<String, String> settings() throws IOException {
        Properties values = new Properties();
        try (Reader file = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            values.load(file);
        }
        List<String> order = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/main/resources/application.properties"))) {
            if (line.startsWith("careloop.")) {
                order.add(line.substring(0, line.indexOf('=')).trim());
            }
        }
        Map<String, String> settings = new LinkedHashMap<>();
        order.forEach(key -> settings.put(key, values.getProperty(key).trim()));
        return settings;
    }

    private static String configurationSection() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n## Configuration\n");
        return readme.substring(start, readme.indexOf("\n## ", start + 1));
    }
}
