package org.careloop.ops;

/** A request the operator API cannot act on; answered with its status and a JSON error. */
public final class BadRequestException extends RuntimeException {

    private final int status;

    BadRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
