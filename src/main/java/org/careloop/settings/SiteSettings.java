package org.careloop.settings;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;
import org.careloop.planning.QuietHours;

/**
 * {@code careloop.site.*} and {@code careloop.data-dir}: who the hospital is, where it is, and where the engine keeps
 * its files.
 *
 * @param zone        the site's time zone: appointment times without an offset are in it, and so are quiet hours
 * @param phoneRegion the region of phone numbers written without a country code (ISO 3166, e.g. US)
 * @param name        the site's name as patients read it in a message
 * @param quietHours  when no business-initiated message is sent, if set
 * @param dataDir     the store's folder and the generated API token's
 */
public record SiteSettings(ZoneId zone, String phoneRegion, String name, Optional<QuietHours> quietHours,
        Path dataDir) {

    public static SiteSettings read(SettingsReader settings) {
        ZoneId zone = settings.zone("careloop.site.time-zone");
        return new SiteSettings(zone, settings.required("careloop.site.phone-region"),
                settings.required("careloop.site.name"),
                QuietHours.parse(settings.text("careloop.site.quiet-hours"), zone),
                settings.path("careloop.data-dir"));
    }
}
