package org.careloop.hl7.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.careloop.event.Phone;
import org.careloop.event.PhoneNumbers;

/**
 * Picks the number to reach a patient on WhatsApp from their XTN repetitions and writes it in E.164.
 *
 * <p>Preference: a repetition with equipment CP (cellular); then one with use PRN or ORN and equipment PH; then the
 * first repetition. A preferred repetition that is not a valid number gives way to the next one. The number is taken
 * from XTN-5/6/7 (country, area, local) when they are valued, else XTN-12 (unformatted), else XTN-1 (formatted, the
 * most common in practice), and read with libphonenumber in the site's default region.
 */
final class PhoneChooser {

    /** One XTN repetition, with the field it came from ("PID-13") for warnings. */
    record Xtn(String field, String formatted, String use, String equipment, String country, String area,
            String local, String unformatted) {

        String dialable() {
            if (!local.isEmpty()) {
                return (country.isEmpty() ? "" : "+" + country) + area + local;
            }
            return unformatted.isEmpty() ? formatted : unformatted;
        }

        boolean isEmailOnly() {
            return dialable().isBlank() || "NET".equalsIgnoreCase(use) || "Internet".equalsIgnoreCase(equipment);
        }
    }

    private static final Set<String> PERSONAL_USES = Set.of("PRN", "ORN");

    private final PhoneNumbers numbers;

    PhoneChooser(String defaultRegion) {
        this.numbers = new PhoneNumbers(defaultRegion);
    }

    Optional<Phone> choose(List<Xtn> repetitions, Warnings warnings) {
        for (Xtn candidate : inPreferenceOrder(repetitions)) {
            Optional<Phone> phone = numbers.read(candidate.dialable(), candidate.use(), candidate.equipment());
            if (phone.isPresent()) {
                return phone;
            }
            warnings.add(candidate.field() + ": a " + describe(candidate) + " number is not a valid phone number in "
                    + "region " + numbers.defaultRegion());
        }
        return Optional.empty();
    }

    private static List<Xtn> inPreferenceOrder(List<Xtn> repetitions) {
        List<Xtn> numbers = repetitions.stream().filter(x -> !x.isEmailOnly()).toList();
        List<Xtn> ordered = new ArrayList<>();
        numbers.stream().filter(x -> "CP".equalsIgnoreCase(x.equipment())).forEach(ordered::add);
        numbers.stream().filter(x -> PERSONAL_USES.contains(x.use().toUpperCase()) && "PH".equalsIgnoreCase(x.equipment()))
                .filter(x -> !ordered.contains(x)).forEach(ordered::add);
        numbers.stream().filter(x -> !ordered.contains(x)).forEach(ordered::add);
        return ordered;
    }

    private static String describe(Xtn xtn) {
        String kind = (xtn.use() + " " + xtn.equipment()).trim();
        return kind.isEmpty() ? "listed" : kind;
    }
}
