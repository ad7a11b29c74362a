package io.hermitengp.field;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChannelsTest {

    @Test
    void countAndIndicesFollowTheChannelOrder() {
        Channels c = new Channels(3, 0b101);
        assertEquals(5, c.count());
        assertEquals(4, c.laplacian());
        assertEquals(2, Channels.gradient(1));
        assertEquals(1, Channels.valueOnly().count());
        assertEquals(3, Channels.valueAndGradient(2).count());
        assertEquals(4, Channels.withFullLaplacian(2).count());
    }

    @Test
    void describedForMessages() {
        assertEquals("value (1 channel)", Channels.valueOnly().toString());
        assertEquals("value + 1 gradient (2 channels)", Channels.valueAndGradient(1).toString());
        assertEquals("value + 3 gradients + Laplacian over x,z (5 channels)", new Channels(3, 0b101).toString());
        assertEquals("value + 2 gradients + Laplacian over x,y (4 channels)", Channels.withFullLaplacian(2).toString());
    }

    @Test
    void laplacianAxesBeyondTheGradientAxesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Channels(2, 0b100));
        assertThrows(IllegalArgumentException.class, () -> new Channels(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Channels(4, 0));
    }
}
