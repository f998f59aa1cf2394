package org.qdht.api.wire;

/**
 * Frame type codes assigned by the API. A code, once assigned, is never reused for another
 * type; new types take new codes in a minor version of this package.
 */
public final class TypeCodes {
    public static final int NODE_ID = 0x0001;
    public static final int KEY_ID = 0x0002;
    public static final int SUITE_ID = 0x0003;
    public static final int PEER_ADDRESS = 0x0004;
    public static final int PEER_INFO = 0x0005;
    public static final int DHT_KEY = 0x0006;
    public static final int RECORD = 0x0010;
    public static final int PUBLIC_KEY = 0x0020;
    public static final int SIGNATURE = 0x0021;
    public static final int KEM_CIPHERTEXT = 0x0022;
    public static final int KEY_ROTATION = 0x0023;
    public static final int MESSAGE = 0x0030;
    public static final int MODEL_MANIFEST = 0x0040;

    /** First code of the range left to third-party types. */
    public static final int THIRD_PARTY_FIRST = 0xF000;
    /** Last code of the range left to third-party types. */
    public static final int THIRD_PARTY_LAST = 0xFFFE;

    private TypeCodes() {
    }
}
