package org.careloop.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the YAML files integration teams edit (mappings, catalog, site codes, reply rules), failing with a message
 * that names the file, the line, and the setting that points at it.
 */
public final class YamlFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private YamlFiles() {
    }

    /**
     * The file's tree (a missing node when it is empty).
     *
     * @param property the setting naming the file, for the fix in the message
     * @throws IllegalArgumentException when it cannot be read or is not YAML
     */
    public static JsonNode read(Path file, String property) {
        try {
            JsonNode root = YAML.readTree(Files.readString(file));
            return root == null ? MissingNode.getInstance() : root;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid YAML at line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + e.getMessage() + "); check " + property);
        }
    }
}
