package org.careloop.consent;

/** Whether a patient agrees to business-initiated WhatsApp messages on a number. */
public enum ConsentStatus {
    OPT_IN,
    OPT_OUT
}
