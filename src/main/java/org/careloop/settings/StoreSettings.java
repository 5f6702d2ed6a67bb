package org.careloop.settings;

import java.time.Duration;
import org.careloop.store.Durability;

/**
 * {@code careloop.store.*}: the database and how the writer commits.
 *
 * @param groupCommitMax the most writes one commit carries
 * @param claimLease how long an instance holds what it claimed in a store shared by several instances
 */
public record StoreSettings(String url, String user, Secret password, int poolSize, Durability durability,
        int groupCommitMax, Duration claimLease) {

    public static StoreSettings read(SettingsReader settings) {
        return new StoreSettings(settings.required("careloop.store.url"), settings.text("careloop.store.user"),
                settings.secret("careloop.store.password"), settings.integer("careloop.store.pool-size", 1),
                settings.choice("careloop.store.durability", Durability.class),
                settings.integer("careloop.store.group-commit-max", 1),
                settings.seconds("careloop.store.claim-lease-seconds"));
    }
}
