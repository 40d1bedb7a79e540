// Frontdoor's progressive enhancements. Every page works without this file.
import { initAll } from '/assets/govuk-frontend.min.js';

initAll();

// Quick exit. Without JavaScript the link goes to /exit, which ends the session and redirects to a
// neutral site. With it, the click replaces this page in the history (so Back does not return to
// it), the page is blanked at once, and pressing Escape 3 times does the same from anywhere.
const exitLink = document.querySelector('[data-quick-exit]');
if (exitLink) {
  const exit = () => {
    document.documentElement.classList.add('frontdoor-exiting');
    const target = exitLink.href;
    try {
      // In the widget the whole partner page has to go, not only the frame.
      if (window.top !== window.self) window.top.location.replace(target);
      else window.location.replace(target);
    } catch {
      window.location.replace(target);
    }
  };
  exitLink.addEventListener('click', (event) => {
    event.preventDefault();
    exit();
  });

  const hint = document.createElement('span');
  hint.className = 'frontdoor-quick-exit__hint';
  hint.textContent = 'or press Esc 3 times';
  exitLink.insertAdjacentElement('afterend', hint);
  const status = document.createElement('span');
  status.className = 'govuk-visually-hidden';
  status.setAttribute('role', 'status');
  exitLink.parentElement.appendChild(status);

  let presses = 0;
  let timer;
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' && event.key !== 'Esc') return;
    presses += 1;
    clearTimeout(timer);
    if (presses >= 3) {
      status.textContent = 'Leaving this page';
      exit();
      return;
    }
    status.textContent = presses === 1 ? 'Press Escape 2 more times to leave this page' : 'Press Escape 1 more time to leave this page';
    timer = setTimeout(() => {
      presses = 0;
      status.textContent = '';
    }, 2000);
  });
}

// Adding to the shortlist without leaving the page: the form still posts as usual without JavaScript.
for (const form of document.querySelectorAll('form[data-shortlist-add]')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button');
    if (button) button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        headers: { accept: 'application/json' },
        body: new URLSearchParams(new FormData(form)),
        credentials: 'same-origin',
      });
      if (!response.ok) throw new Error(String(response.status));
      const { count } = await response.json();
      const done = document.createElement('p');
      done.className = 'govuk-body frontdoor-shortlist-added';
      done.setAttribute('role', 'status');
      done.append('Added to your shortlist. ');
      const link = document.createElement('a');
      link.className = 'govuk-link';
      link.href = '/shortlist';
      link.textContent = `View shortlist (${count})`;
      done.append(link);
      form.replaceWith(done);
      for (const headerLink of document.querySelectorAll('.frontdoor-header__nav a[href="/shortlist"]')) {
        headerLink.textContent = `Shortlist (${count})`;
      }
    } catch {
      // Fall back to the ordinary form post, which shows any problem as a page.
      form.submit();
    }
  });
}

// Copy buttons for hand-outs and widget snippets.
for (const button of document.querySelectorAll('[data-copy-target]')) {
  const source = document.getElementById(button.dataset.copyTarget);
  if (!source || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener('click', async () => {
    await navigator.clipboard.writeText(source.value ?? source.textContent);
    const label = button.textContent;
    button.textContent = 'Copied';
    setTimeout(() => {
      button.textContent = label;
    }, 2000);
  });
}

// Print buttons (shown only with JavaScript; without it, the page says to use the browser's print).
for (const button of document.querySelectorAll('[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}

// The widget tells the page that frames it how tall it is, so that the frame can fit it.
if (document.body.hasAttribute('data-embed') && window.parent !== window) {
  // The body's own height: the document's is never less than the frame, so the frame could only grow.
  const report = () => window.parent.postMessage({ frontdoor: 'height', height: Math.ceil(document.body.getBoundingClientRect().height) }, '*');
  report();
  if ('ResizeObserver' in window) new ResizeObserver(report).observe(document.body);
}
