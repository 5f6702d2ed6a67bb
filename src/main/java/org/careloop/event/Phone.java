package org.careloop.event;

/**
 * The number chosen to message the patient on.
 *
 * @param e164      "+447700900123"
 * @param use       XTN-2 as sent (PRN, ORN, WPN...), may be empty
 * @param equipment XTN-3 as sent (CP, PH...), may be empty
 * @param mobile    libphonenumber classes the number as mobile (or as possibly mobile, where a country's numbering
 *                  plan cannot tell); WhatsApp accounts live on mobile numbers
 */
public record Phone(String e164, String use, String equipment, boolean mobile) {
}
