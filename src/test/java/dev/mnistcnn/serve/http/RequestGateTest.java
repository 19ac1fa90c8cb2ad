package dev.mnistcnn.serve.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Shutdown's gate: once closed it admits nothing, and it waits for the requests in flight. */
@Tag(Tier.FAST)
class RequestGateTest {
  @Test
  void requestGateAdmitsNothingOnceClosedAndWaitsForTheRest() throws Exception {
    RequestGate gate = new RequestGate();
    assertTrue(gate.tryEnter());
    assertTrue(gate.tryEnter());
    gate.exit();
    gate.close();
    assertFalse(gate.tryEnter(), "closed");
    assertFalse(gate.awaitIdle(10), "one request still in flight");
    new Thread(gate::exit).start();
    assertTrue(gate.awaitIdle(10_000));
    assertEquals(2, gate.peak());
  }
}
