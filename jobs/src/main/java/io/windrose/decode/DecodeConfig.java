package io.windrose.decode;

import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import java.io.Serializable;

/** The {@code decode} section: limits of the decode stage. */
public final class DecodeConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 1L;
    /** Larger payloads become TOO_LARGE dead letters without being parsed. */
    public int maxPayloadBytes = 256 * 1024;
    /** How much of a payload a dead letter keeps. */
    public int deadLetterPayloadBytes = 64 * 1024;

    @Override
    public void validate(ConfigCheck check) {
        check.require(maxPayloadBytes > 0, "max-payload-bytes", "expected a whole number of bytes above 0");
        check.require(deadLetterPayloadBytes >= 0, "dead-letter-payload-bytes", "expected a whole number of bytes, 0 or more");
    }
}
