// Statement upload: choosing an account selects the layout the office set for it.
(function () {
  const account = document.getElementById("id_account");
  const layout = document.getElementById("id_layout");
  if (!account || !layout || !account.dataset.layouts) return;
  const byAccount = new Map(
    account.dataset.layouts.split(",").filter(Boolean).map((pair) => pair.split(":"))
  );
  account.addEventListener("change", () => {
    const chosen = byAccount.get(account.value);
    if (chosen) layout.value = chosen;
  });
})();
