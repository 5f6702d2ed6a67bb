package org.careloop.ops;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.careloop.consent.ConsentStatus;
import org.careloop.consent.ConsentStore;

/**
 * Consent through the operator API: record an opt-in or opt-out (JSON), import many from a CSV file, and read a
 * number's consent with its full history. Every change is recorded with its source.
 */
public final class ConsentApi {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private final ConsentStore consents;
    private final String phoneRegion;
    private final Clock clock;

    public ConsentApi(ConsentStore consents, String phoneRegion, Clock clock) {
        this.consents = consents;
        this.phoneRegion = phoneRegion;
        this.clock = clock;
    }

    /** The body of {@code POST /api/consent}; {@code source} is optional ("operator"). */
    public record ConsentRequest(String patient, String phone, String status, String source) {
    }

    /** POST /api/consent {"patient": "EPI|E1234567", "phone": "+16175550123", "status": "opt-in", "source": "..."} */
    public void record(Exchange exchange) {
        ConsentRequest request = exchange.getMessage().getBody(ConsentRequest.class);
        if (request == null) {
            throw new BadRequestException(400, "the body must be a JSON object");
        }
        String patient = request.patient() == null ? "" : request.patient().trim();
        if (patient.isEmpty()) {
            throw new BadRequestException(400, "patient is required: the patient id as authority|value");
        }
        String phone = phone(request.phone() == null ? "" : request.phone());
        ConsentStatus status = status(request.status() == null ? "" : request.status());
        String source = "api: " + (request.source() == null ? "operator" : request.source());
        StoreCalls.await(consents.record(patient, phone, status, source, null, clock.instant()));
        JsonResponses.ok(exchange, Map.of("patient", patient, "phone", phone, "status", status));
    }

    /**
     * POST /api/consent/import with a CSV body, header {@code patient,phone,status[,source]}. Valid lines are
     * recorded (source "csv import"); the answer lists each line that was not, with why.
     */
    public void importCsv(Exchange exchange) {
        String csv = new String(exchange.getMessage().getBody(byte[].class), StandardCharsets.UTF_8);
        String[] lines = csv.split("\r?\n");
        if (lines.length == 0 || !lines[0].trim().toLowerCase(Locale.ROOT).startsWith("patient,phone,status")) {
            throw new BadRequestException(400, "the first line must be the header patient,phone,status[,source]");
        }
        int imported = 0;
        List<LineError> errors = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] fields = lines[i].split(",", -1);
            try {
                if (fields.length < 3 || fields[0].isBlank()) {
                    throw new BadRequestException(400, "expected patient,phone,status[,source]");
                }
                String source = "csv import" + (fields.length > 3 && !fields[3].isBlank() ? ": " + fields[3].trim() : "");
                StoreCalls.await(consents.record(fields[0].trim(), phone(fields[1]), status(fields[2]), source, null,
                        clock.instant()));
                imported++;
            } catch (BadRequestException bad) {
                errors.add(new LineError(i + 1, bad.getMessage()));
            }
        }
        // the request is CSV, so this verb's binding is off
        JsonResponses.okWritten(exchange, new ImportResult(imported, errors));
    }

    /** What an import did: how many lines were recorded, and each line that was not, with why. */
    public record ImportResult(int imported, List<LineError> errors) {
    }

    public record LineError(int line, String error) {
    }

    /** GET /api/consent?phone=+16175550123: the consent of every patient on the number, and its history. */
    public void forPhone(Exchange exchange) throws SQLException {
        String phone = phone(exchange.getMessage().getHeader("phone", "", String.class));
        JsonResponses.ok(exchange, new PhoneConsent(consents.forPhone(phone), consents.history(phone)));
    }

    /** A number's consent, per patient, and its history. */
    public record PhoneConsent(List<ConsentStore.Consent> consent, List<ConsentStore.Change> history) {
    }

    private String phone(String raw) {
        try {
            PhoneNumber number = PHONES.parse(raw.trim(), phoneRegion);
            if (PHONES.isValidNumber(number)) {
                return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
            }
        } catch (NumberParseException notANumber) {
            // reported below
        }
        throw new BadRequestException(400, "phone is not a valid phone number; write it in E.164, e.g. +16175550123");
    }

    private static ConsentStatus status(String raw) {
        return switch (raw.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "opt-in", "in", "yes" -> ConsentStatus.OPT_IN;
            case "opt-out", "out", "no" -> ConsentStatus.OPT_OUT;
            default -> throw new BadRequestException(400, "status must be opt-in or opt-out");
        };
    }
}
