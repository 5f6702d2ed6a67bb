package org.careloop.event;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Optional;

/** Reads a number as a source writes it, with libphonenumber in the site's region, into E.164 (any source). */
public final class PhoneNumbers {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private final String defaultRegion;

    public PhoneNumbers(String defaultRegion) {
        this.defaultRegion = defaultRegion;
    }

    public String defaultRegion() {
        return defaultRegion;
    }

    /** A number as staff lists show one that may not be the patient's: "+1617***9999". */
    public static String masked(String e164) {
        if (e164 == null || e164.length() < 9) {
            return "***";
        }
        return e164.substring(0, 5) + "***" + e164.substring(e164.length() - 4);
    }

    /** The number as a {@link Phone}, or empty when it is not a valid number in the site's region. */
    public Optional<Phone> read(String dialable, String use, String equipment) {
        try {
            PhoneNumber number = PHONES.parse(dialable, defaultRegion);
            if (!PHONES.isValidNumber(number)) {
                return Optional.empty();
            }
            PhoneNumberType type = PHONES.getNumberType(number);
            return Optional.of(new Phone(PHONES.format(number, PhoneNumberFormat.E164), use, equipment,
                    type == PhoneNumberType.MOBILE || type == PhoneNumberType.FIXED_LINE_OR_MOBILE));
        } catch (NumberParseException notANumber) {
            return Optional.empty();
        }
    }
}
