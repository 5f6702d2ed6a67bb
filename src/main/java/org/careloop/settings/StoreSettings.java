package org.careloop.settings;

import org.careloop.store.Durability;

/**
 * {@code careloop.store.*}: the database and how the writer commits.
 *
 * @param groupCommitMax the most writes one commit carries
 */
public record StoreSettings(String url, String user, Secret password, int poolSize, Durability durability,
        int groupCommitMax) {

    public static StoreSettings read(SettingsReader settings) {
        return new StoreSettings(settings.required("careloop.store.url"), settings.text("careloop.store.user"),
                settings.secret("careloop.store.password"), settings.integer("careloop.store.pool-size", 1),
                settings.choice("careloop.store.durability", Durability.class),
                settings.integer("careloop.store.group-commit-max", 1));
    }
}
