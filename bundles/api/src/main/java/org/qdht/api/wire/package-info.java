/**
 * The qDHT wire format: versioned, length-prefixed binary encoding with explicit maximum sizes.
 *
 * <p>A top-level object travels as a <em>frame</em>:
 * <pre>
 *   magic   u8      0x71 ('q')
 *   version u8      format version, currently 1
 *   type    u16     type code of the encoded value (see {@link org.qdht.api.wire.WireCodec#typeCode()})
 *   length  varint  body length in bytes, at most the codec's {@code maxBodySize()}
 *   body    length bytes
 * </pre>
 * Integers are big-endian. A varint is unsigned LEB128 of at most five bytes holding a value up to
 * 2^31-1, in its shortest form only, so that every value has exactly one encoding (signatures cover
 * encodings). Variable-length fields carry a varint length and are checked against a per-field
 * maximum before any memory is allocated. Decoders reject truncated, oversized, non-canonical and
 * trailing input with a {@link org.qdht.api.wire.WireFormatException} that names the field.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.qdht.api.wire;
