// "Chọn tất cả trang này": a checkbox with data-select-all="NAME" ticks or clears every
// checkbox named NAME on the page.
document.querySelectorAll("[data-select-all]").forEach(function (box) {
  box.addEventListener("change", function () {
    var name = box.dataset.selectAll;
    document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (c) {
      c.checked = box.checked;
    });
  });
});
