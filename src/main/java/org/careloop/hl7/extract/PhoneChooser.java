package org.careloop.hl7.extract;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.careloop.event.Phone;

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

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final Set<String> PERSONAL_USES = Set.of("PRN", "ORN");

    private final String defaultRegion;

    PhoneChooser(String defaultRegion) {
        this.defaultRegion = defaultRegion;
    }

    Optional<Phone> choose(List<Xtn> repetitions, Warnings warnings) {
        for (Xtn candidate : inPreferenceOrder(repetitions)) {
            Optional<PhoneNumber> number = parse(candidate.dialable());
            if (number.isPresent()) {
                PhoneNumberType type = PHONES.getNumberType(number.get());
                return Optional.of(new Phone(PHONES.format(number.get(), PhoneNumberFormat.E164), candidate.use(),
                        candidate.equipment(),
                        type == PhoneNumberType.MOBILE || type == PhoneNumberType.FIXED_LINE_OR_MOBILE));
            }
            warnings.add(candidate.field() + ": a " + describe(candidate) + " number is not a valid phone number in "
                    + "region " + defaultRegion);
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

    private Optional<PhoneNumber> parse(String dialable) {
        try {
            PhoneNumber number = PHONES.parse(dialable, defaultRegion);
            return PHONES.isValidNumber(number) ? Optional.of(number) : Optional.empty();
        } catch (NumberParseException notANumber) {
            return Optional.empty();
        }
    }

    private static String describe(Xtn xtn) {
        String kind = (xtn.use() + " " + xtn.equipment()).trim();
        return kind.isEmpty() ? "listed" : kind;
    }
}
