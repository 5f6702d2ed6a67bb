package org.careloop.consent;

import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The words that mean "stop messaging me", per language, from {@code careloop.consent.opt-out-words}
 * ("en:STOP,UNSUBSCRIBE;es:BAJA,ALTO"). A patient may write any of them in any language; case, accents, spaces and
 * trailing punctuation do not matter ("Stop!", "baja.").
 */
public final class OptOutWords {

    private final Set<String> words = new HashSet<>();

    public OptOutWords(String setting) {
        for (String group : setting.split(";")) {
            String list = group.contains(":") ? group.substring(group.indexOf(':') + 1) : group;
            for (String word : list.split(",")) {
                if (!word.isBlank()) {
                    words.add(normalise(word));
                }
            }
        }
    }

    public boolean isOptOut(String text) {
        return text != null && words.contains(normalise(text));
    }

    private static String normalise(String text) {
        String stripped = Normalizer.normalize(text.trim(), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return stripped.replaceAll("[\\p{Punct}\\s]+$", "").replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    }
}
