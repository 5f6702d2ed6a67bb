package org.careloop.event;

/**
 * @param value     CX-1
 * @param authority CX-4 (assigning authority namespace), may be empty
 * @param type      CX-5 (MR, PI, SS...), may be empty
 */
public record PatientId(String value, String authority, String type) {

    public String key() {
        return authority + "|" + value;
    }
}
