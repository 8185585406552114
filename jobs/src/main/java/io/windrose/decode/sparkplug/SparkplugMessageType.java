package io.windrose.decode.sparkplug;

/** The message types of the Sparkplug B topic namespace ({@code spBv1.0/<group>/<type>/<edge node>[/<device>]}). */
public enum SparkplugMessageType {
    NBIRTH, NDEATH, DBIRTH, DDEATH, NDATA, DDATA, NCMD, DCMD,
    /** A host application's state ({@code spBv1.0/STATE/<host id>}). */
    STATE;

    /** Whether the topic names a device (D-types). */
    public boolean isDeviceLevel() {
        return this == DBIRTH || this == DDEATH || this == DDATA || this == DCMD;
    }

    /** Commands and host state: never data, dead letters or sequence gaps. */
    public boolean isControl() {
        return this == NCMD || this == DCMD || this == STATE;
    }
}
