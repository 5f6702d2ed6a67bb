package org.careloop.hl7.extract;

import java.util.HashMap;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a PID-15 language (ISO 639-1 "es", ISO 639-2 "SPA" or "ger", "eng^English", free text "SPANISH", a site's
 * local code) into a BCP-47 tag. The site's map is consulted first, for codes only that site uses; ISO codes and
 * English language names work without any entry.
 */
final class LanguageResolver {

    /** ISO 639-2/B codes, which Java's Locale does not know (it has the /T ones: deu, fra, zho...). */
    private static final Map<String, String> BIBLIOGRAPHIC = Map.ofEntries(
            Map.entry("ALB", "sq"), Map.entry("ARM", "hy"), Map.entry("BAQ", "eu"), Map.entry("BUR", "my"),
            Map.entry("CHI", "zh"), Map.entry("CZE", "cs"), Map.entry("DUT", "nl"), Map.entry("FRE", "fr"),
            Map.entry("GEO", "ka"), Map.entry("GER", "de"), Map.entry("GRE", "el"), Map.entry("ICE", "is"),
            Map.entry("MAC", "mk"), Map.entry("MAO", "mi"), Map.entry("MAY", "ms"), Map.entry("PER", "fa"),
            Map.entry("RUM", "ro"), Map.entry("SLO", "sk"), Map.entry("TIB", "bo"), Map.entry("WEL", "cy"));

    private final Map<String, String> siteMap;
    private final Map<String, String> isoAndNames = new HashMap<>();

    /** @param siteMap upper-cased source code or text to BCP-47 tag */
    LanguageResolver(Map<String, String> siteMap) {
        this.siteMap = siteMap;
        for (String language : Locale.getISOLanguages()) {
            Locale locale = Locale.forLanguageTag(language);
            isoAndNames.put(language.toUpperCase(Locale.ROOT), language);
            isoAndNames.put(locale.getISO3Language().toUpperCase(Locale.ROOT), language);
            isoAndNames.put(locale.getDisplayLanguage(Locale.ENGLISH).toUpperCase(Locale.ROOT), language);
        }
        BIBLIOGRAPHIC.forEach(isoAndNames::putIfAbsent);
    }

    /** @param code PID-15.1, @param text PID-15.2; either may be empty */
    Optional<String> resolve(String code, String text) {
        for (String candidate : new String[] {code, text}) {
            String key = candidate.trim().toUpperCase(Locale.ROOT);
            if (key.isEmpty()) {
                continue;
            }
            String tag = siteMap.get(key);
            if (tag == null) {
                tag = isoAndNames.get(key);
            }
            if (tag == null) {
                tag = regionalTag(candidate.trim()).orElse(null);
            }
            if (tag != null) {
                return Optional.of(tag);
            }
        }
        return Optional.empty();
    }

    /** "pt-BR", "en_GB": a language the ISO tables know, with a region. */
    private Optional<String> regionalTag(String candidate) {
        try {
            Locale locale = new Locale.Builder().setLanguageTag(candidate.replace('_', '-')).build();
            boolean known = isoAndNames.containsValue(locale.getLanguage());
            return known && !locale.getCountry().isEmpty() ? Optional.of(locale.toLanguageTag()) : Optional.empty();
        } catch (IllformedLocaleException notATag) {
            return Optional.empty();
        }
    }
}
