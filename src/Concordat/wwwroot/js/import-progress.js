// Follows an import running in the background: updates the progress line (a status region, so screen readers hear it
// politely) every two seconds, and reloads the page for its summary once the import has stopped running.
const line = document.getElementById('import-progress');
if (line) {
  const poll = async () => {
    try {
      const response = await fetch(line.dataset.progressUrl, { headers: { Accept: 'application/json' } });
      if (response.ok) {
        const progress = await response.json();
        if (!progress.running) {
          window.location.reload();
          return;
        }
        if (line.textContent !== progress.text) line.textContent = progress.text;
      }
    } catch {
      // A dropped connection: try again on the next tick, as after a refused request.
    }
    setTimeout(poll, 2000);
  };
  setTimeout(poll, 2000);
}
