package org.careloop.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Lets a request through to the operator API only with {@code Authorization: Bearer <token>}; otherwise answers
 * 401 with a JSON error and stops the route. The token is compared in constant time.
 */
public final class ApiToken implements Processor {

    private final byte[] expected;

    private ApiToken(String token) {
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The configured token or, when none is configured, the one in {@code dataDir/api-token}, created with owner-only
     * permissions at first start. The token itself is never logged.
     */
    public static ApiToken resolve(String configured, Path dataDir) throws IOException {
        if (configured != null && !configured.isBlank()) {
            return new ApiToken(configured.trim());
        }
        Path file = dataDir.resolve("api-token");
        if (!Files.exists(file)) {
            Files.createDirectories(dataDir);
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(random) + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the file system has no POSIX permissions; the data directory's own protection applies
            }
        }
        return new ApiToken(Files.readString(file).trim());
    }

    @Override
    public void process(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Authorization", String.class);
        byte[] presented = header == null ? new byte[0] : header.trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, presented)) {
            JsonResponses.error(exchange, 401, "missing or wrong bearer token");
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
            exchange.setRouteStop(true);
        }
    }
}
