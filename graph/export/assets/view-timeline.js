// The date control: two handles over the corpus' span above a histogram of documents per
// day or week; tells `onChange` the chosen [first day, last day], or null for the whole
// span. Absent when nothing in the page is dated.
function openTimeline(data, element, onChange) {
  var time = data.time;
  if (!time) { element.hidden = true; return null; }
  element.hidden = false;
  var canvas = element.querySelector("canvas");
  var from = element.querySelector("#date-from");
  var to = element.querySelector("#date-to");
  var output = element.querySelector("output");
  [from, to].forEach(function (input) { input.min = "0"; input.max = String(time.days); input.step = "1"; });
  from.value = "0";
  to.value = String(time.days);
  canvas.title = time.counting + " per " + (time.unit === 1 ? "day" : "week");

  function period() {
    var a = Number(from.value), b = Number(to.value);
    return [Math.min(a, b), Math.max(a, b)];
  }

  function draw() {
    var context = canvas.getContext("2d");
    var chosen = period();
    var peak = time.counts.reduce(function (m, c) { return Math.max(m, c); }, 1);
    var width = canvas.width / time.counts.length;
    context.clearRect(0, 0, canvas.width, canvas.height);
    time.counts.forEach(function (count, bin) {
      var first = bin * time.unit;
      var inside = first + time.unit - 1 >= chosen[0] && first <= chosen[1];
      context.fillStyle = inside ? "#4e79a7" : "#c9d3dd";
      var height = count ? Math.max(1, Math.round((canvas.height - 2) * count / peak)) : 0;
      context.fillRect(bin * width, canvas.height - height, Math.max(1, width - (width > 3 ? 1 : 0)), height);
    });
  }

  function update() {
    var chosen = period();
    output.textContent = data.dayLabel(chosen[0]) + " \u2013 " + data.dayLabel(chosen[1]);
    draw();
    onChange(chosen[0] === 0 && chosen[1] === time.days ? null : chosen);
  }

  // a drag fires many input events; filter once per frame, for the latest value
  var pending = false;
  [from, to].forEach(function (input) {
    input.addEventListener("input", function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () { pending = false; update(); });
    });
  });
  output.textContent = data.dayLabel(0) + " \u2013 " + data.dayLabel(time.days);
  draw();

  return {
    // set the period from code (the reset, tests): days from the corpus' first date
    set: function (first, last) {
      from.value = String(first);
      to.value = String(last);
      update();
    },
  };
}
