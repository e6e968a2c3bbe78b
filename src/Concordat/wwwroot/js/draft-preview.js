// The live preview on a question page: as the person types or chooses, the form as it stands (nothing saved) is sent
// to the page's Preview handler, and the sections it returns replace the preview. Without JavaScript the preview
// shows the saved answers, and "Save and continue" is how it changes. The preview is not a live region: reading
// every keystroke's change aloud would drown the form.
const preview = document.getElementById('draft-preview');
const form = preview && document.querySelector('main form[method=post]');
if (form) {
  let timer;
  let latest = 0;
  const refresh = async () => {
    const asked = ++latest;
    try {
      const response = await fetch(preview.dataset.previewUrl, { method: 'POST', body: new FormData(form) });
      if (response.ok && asked === latest) preview.innerHTML = await response.text();
    } catch {
      // A dropped connection leaves the preview as it was; the next change tries again.
    }
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  };
  form.addEventListener('input', soon);
  form.addEventListener('change', soon);
}
