package org.careloop.hl7.intake;

import java.util.List;
import org.careloop.hl7.HandledMessage;

/** What the screen decided about a message before anything is stored. */
public sealed interface Verdict {

    /** Store it and turn it into an event. */
    record Accept(HandledMessage type) implements Verdict {
    }

    /** Store it and acknowledge it, but CareLoop has nothing to do with this type. */
    record Ignore(String reason) implements Verdict {
    }

    /** Answer AE or AR, keep the bytes in the rejected-messages table. */
    record Refuse(AckCode code, List<Hl7Error> errors) implements Verdict {

        public Refuse {
            errors = List.copyOf(errors);
        }

        public static Refuse of(AckCode code, Hl7Error error) {
            return new Refuse(code, List.of(error));
        }

        public String reason() {
            return errors.stream().map(Hl7Error::diagnostic).reduce((a, b) -> a + "; " + b).orElse("");
        }
    }
}
