package io.groot.trainer.groot;

/** Feedback that cannot be applied to its candidates; {@link #reason()} is a stable dead-letter reason code. */
public final class InvalidFeedbackException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    public InvalidFeedbackException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
