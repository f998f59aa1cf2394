package org.qdht.fl.fedavg.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.qdht.api.learning.ModelId;
import org.qdht.api.learning.TrainingPlan;
import org.qdht.api.wire.WireFormatException;

class FlMessagesTest {
    @Test
    void everyKindRoundTrips() throws Exception {
        TrainingPlan plan = new TrainingPlan(2, 10, 0.05, 42);
        FlMessages.Invite invite = assertInstanceOf(FlMessages.Invite.class,
                FlMessages.decode(FlMessages.encode(new FlMessages.Invite(7, 3, ModelId.of("m"), 5, plan))));
        assertEquals(plan, invite.plan());
        assertEquals(5, invite.modelVersion());
        assertEquals(600, ((FlMessages.Accept) FlMessages.decode(FlMessages.encode(new FlMessages.Accept(7, 3, 600)))).samples());
        FlMessages.Train train = (FlMessages.Train) FlMessages.decode(FlMessages.encode(new FlMessages.Train(7, 3, true, 2, 1800, 1.5)));
        assertEquals(2, train.clientId());
        assertEquals(1800, train.cohortSamples());
        assertEquals(1.5, train.clipNorm());
        byte[] piece = {9, 8, 7};
        assertArrayEquals(piece, ((FlMessages.SecAgg) FlMessages.decode(FlMessages.encode(new FlMessages.SecAgg(7, 3, 1, 0, 1, piece)))).bytes());
        byte[] part = new byte[] {1, 2, 3, 4, 5, 6, 7, 8};
        FlMessages.Update u = (FlMessages.Update) FlMessages.decode(FlMessages.encode(new FlMessages.Update(7, 3, 5, 600, 1, 2, part)));
        assertArrayEquals(part, u.bytes());
        assertEquals(1, u.part());
        assertEquals("no data", ((FlMessages.Decline) FlMessages.decode(FlMessages.encode(new FlMessages.Decline(7, 3, "no data")))).reason());
    }

    @Test
    void malformedMessagesAreRefused() {
        byte[] update = FlMessages.encode(new FlMessages.Update(7, 3, 5, 600, 0, 1, new byte[8]));
        assertThrows(WireFormatException.class, () -> FlMessages.decode(Arrays.copyOf(update, update.length + 1)), "trailing bytes");
        assertThrows(WireFormatException.class, () -> FlMessages.decode(Arrays.copyOf(update, update.length - 1)), "truncated");
        byte[] oddBytes = FlMessages.encode(new FlMessages.Update(7, 3, 5, 600, 0, 1, new byte[8]));
        assertThrows(WireFormatException.class, () -> FlMessages.decode(FlMessages.encode(new FlMessages.Update(7, 3, 5, 600, 2, 2, new byte[8]))),
                "part beyond the parts");
        assertThrows(WireFormatException.class, () -> FlMessages.decode(FlMessages.encode(new FlMessages.Accept(7, 0, 600))), "round 0");
        byte[] unknown = oddBytes.clone();
        unknown[1] = 9;
        assertThrows(WireFormatException.class, () -> FlMessages.decode(unknown), "unknown kind");
    }
}
