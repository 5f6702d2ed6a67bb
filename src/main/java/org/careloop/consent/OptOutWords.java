package org.careloop.consent;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How a patient's typed reply reads as to "stop messaging me", from the words of every configured language (a
 * patient may write any of them):
 *
 * <ul>
 *   <li>{@link Reading#OPT_OUT} when the whole reply is an opt-out word or phrase
 *       ({@code careloop.consent.opt-out-words}), or is a short reply (up to {@code short-reply-max-words} words)
 *       containing one of the words that are never an answer to anything else
 *       ({@code careloop.consent.opt-out-words-in-short-replies}: "please stop", "no más mensajes, baja");</li>
 *   <li>{@link Reading#PROBABLE_OPT_OUT} when a short reply contains any other opt-out word, or is or contains a
 *       word that also answers our messages ({@code careloop.consent.probable-opt-out-words}: CANCEL, END): staff
 *       decide;</li>
 *   <li>{@link Reading#OTHER} otherwise.</li>
 * </ul>
 *
 * Before matching, case, accents, punctuation and symbols of any script (¡ ¿ « » " … and emoji) and repeated
 * whitespace are removed, and a word repeated in a row counts once: {@code ¡BAJA!}, {@code "Stop"},
 * {@code stop 🙏} and {@code STOP STOP} all read as {@code STOP} or {@code BAJA}. Settings are
 * {@code "en:STOP,UNSUBSCRIBE;es:BAJA"}; the language prefix documents, it does not restrict.
 */
public final class OptOutWords {

    public enum Reading {
        OPT_OUT, PROBABLE_OPT_OUT, OTHER
    }

    private final Set<List<String>> optOut;
    private final Set<List<String>> optOutInShortReplies;
    private final Set<List<String>> probable;
    private final int shortReplyMaxWords;

    public OptOutWords(String optOutWords, String inShortReplies, String probableWords, int shortReplyMaxWords) {
        if (shortReplyMaxWords < 1) {
            throw new IllegalArgumentException("careloop.consent.short-reply-max-words=" + shortReplyMaxWords
                    + " is not valid; use 1 or more");
        }
        this.optOut = phrases(optOutWords);
        this.optOutInShortReplies = phrases(inShortReplies);
        this.probable = phrases(probableWords);
        this.shortReplyMaxWords = shortReplyMaxWords;
    }

    public Reading read(String text) {
        if (text == null) {
            return Reading.OTHER;
        }
        List<String> words = words(text);
        if (words.isEmpty()) {
            return Reading.OTHER;
        }
        if (optOut.contains(words) || optOutInShortReplies.contains(words)) {
            return Reading.OPT_OUT;
        }
        if (probable.contains(words)) {
            return Reading.PROBABLE_OPT_OUT;
        }
        if (words.size() > shortReplyMaxWords) {
            return Reading.OTHER;
        }
        if (containsAny(words, optOutInShortReplies)) {
            return Reading.OPT_OUT;
        }
        return containsAny(words, optOut) || containsAny(words, probable) ? Reading.PROBABLE_OPT_OUT : Reading.OTHER;
    }

    public boolean isOptOut(String text) {
        return read(text) == Reading.OPT_OUT;
    }

    /**
     * A reply's words as CareLoop matches words (opt-outs, red flags): upper case, unaccented, letters and digits
     * only, a repeat in a row dropped.
     */
    public static List<String> words(String text) {
        String unaccented = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        List<String> words = new ArrayList<>();
        for (String word : unaccented.replaceAll("[^\\p{L}\\p{N}]+", " ").trim().toUpperCase(Locale.ROOT)
                .split(" ")) {
            if (!word.isEmpty() && (words.isEmpty() || !words.get(words.size() - 1).equals(word))) {
                words.add(word);
            }
        }
        return words;
    }

    private static boolean containsAny(List<String> words, Set<List<String>> phrases) {
        for (List<String> phrase : phrases) {
            if (Collections.indexOfSubList(words, phrase) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static Set<List<String>> phrases(String setting) {
        Set<List<String>> phrases = new HashSet<>();
        for (String group : setting.split(";")) {
            String list = group.contains(":") ? group.substring(group.indexOf(':') + 1) : group;
            Arrays.stream(list.split(",")).map(OptOutWords::words).filter(words -> !words.isEmpty())
                    .forEach(phrases::add);
        }
        return Set.copyOf(phrases);
    }
}
