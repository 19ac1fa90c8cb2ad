"use strict";

// Drawing pad: white ink on black like MNIST; after each stroke the canvas goes to the server as
// a PNG and the answer fills the big digit and the ten bars.
(() => {
  const model = document.body.dataset.model;
  const endpoint = "/v1/models/" + encodeURIComponent(model) + ":classify-image";
  const canvas = document.getElementById("pad");
  const ctx = canvas.getContext("2d");
  const digitOut = document.getElementById("digit");
  const statusOut = document.getElementById("status");
  const barList = document.getElementById("bars");
  const clearButton = document.getElementById("clear");

  // About an eighth of a digit's height, the stroke width of MNIST digits.
  const LINE_WIDTH = canvas.width / 14;

  const bars = [];
  for (let d = 0; d < 10; d++) {
    const item = document.createElement("li");
    const label = document.createElement("span");
    label.className = "bar-label";
    label.textContent = String(d);
    const track = document.createElement("span");
    track.className = "bar-track";
    const fill = document.createElement("span");
    fill.className = "bar-fill";
    track.appendChild(fill);
    const value = document.createElement("span");
    value.className = "bar-value";
    item.append(label, track, value);
    barList.appendChild(item);
    bars.push({ item, fill, value });
  }

  let drawing = false;
  let last = null;
  let strokes = 0;      // strokes since the page loaded; a result says which it covers
  let generation = 0;   // bumped by Clear, so that late answers about old ink are dropped
  let inFlight = false;
  let dirty = false;    // ink changed while a request was out: send again when it returns

  function setState(state) {
    document.body.dataset.state = state;
  }

  function showBars(probabilities) {
    const best = probabilities ? probabilities.indexOf(Math.max(...probabilities)) : -1;
    bars.forEach((bar, d) => {
      const p = probabilities ? probabilities[d] : 0;
      bar.fill.style.width = (100 * p).toFixed(1) + "%";
      bar.value.textContent = (100 * p).toFixed(1) + "%";
      bar.item.classList.toggle("best", d === best);
    });
  }

  function resetPad() {
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = "#fff";
    ctx.fillStyle = "#fff";
    ctx.lineWidth = LINE_WIDTH;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
  }

  function clearAll() {
    generation++;
    dirty = false;
    resetPad();
    digitOut.textContent = "?";
    statusOut.textContent = "Draw a digit in the black square.";
    showBars(null);
    document.body.dataset.shown = String(strokes);
    if (!inFlight) {
      setState("idle");
    }
  }

  function pointAt(event) {
    const r = canvas.getBoundingClientRect();
    return {
      x: (event.clientX - r.left) * (canvas.width / r.width),
      y: (event.clientY - r.top) * (canvas.height / r.height),
    };
  }

  canvas.addEventListener("pointerdown", (event) => {
    if (event.pointerType === "mouse" && event.button !== 0) {
      return;
    }
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    drawing = true;
    last = pointAt(event);
    ctx.beginPath(); // a dot, so that a tap leaves ink too
    ctx.arc(last.x, last.y, LINE_WIDTH / 2, 0, 2 * Math.PI);
    ctx.fill();
  });

  canvas.addEventListener("pointermove", (event) => {
    if (!drawing) {
      return;
    }
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    for (const e of events.length ? events : [event]) {
      last = pointAt(e);
      ctx.lineTo(last.x, last.y);
    }
    ctx.stroke();
  });

  function endStroke() {
    if (!drawing) {
      return;
    }
    drawing = false;
    strokes++;
    document.body.dataset.strokes = String(strokes);
    classify();
  }
  canvas.addEventListener("pointerup", endStroke);
  canvas.addEventListener("pointercancel", endStroke);

  function classify() {
    if (inFlight) {
      dirty = true;
      return;
    }
    send();
  }

  async function send() {
    inFlight = true;
    dirty = false;
    setState("busy");
    const sentGeneration = generation;
    const sentStrokes = strokes;
    try {
      const png = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
      const response = await fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "image/png" },
        body: png,
      });
      const body = await response.json();
      if (sentGeneration === generation) {
        show(response.status, body);
        document.body.dataset.shown = String(sentStrokes);
      }
    } catch (error) {
      if (sentGeneration === generation) {
        statusOut.textContent = "Cannot reach the server: " + error.message;
      }
    } finally {
      inFlight = false;
      if (dirty) {
        send();
      } else {
        setState("idle");
      }
    }
  }

  function show(status, body) {
    if (status === 200) {
      const confidence = (100 * body.probabilities[body.digit]).toFixed(1);
      digitOut.textContent = String(body.digit);
      statusOut.textContent = "Looks like a " + body.digit + " (" + confidence + "% sure).";
      showBars(body.probabilities);
    } else {
      digitOut.textContent = "?";
      statusOut.textContent =
        status === 422 ? "No digit found yet: draw a bit more." : "Server says: " + body.error;
      showBars(null);
    }
  }

  clearButton.addEventListener("click", clearAll);
  clearAll();
})();
