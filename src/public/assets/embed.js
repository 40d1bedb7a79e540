/* Frontdoor widget: put <script src="https://FRONTDOOR/embed.js" data-category="carers" data-area="north-ayrshire" async></script>
   where the search box should appear. It adds an <iframe> showing Frontdoor's search, limited to the
   categories and council areas given, and keeps the frame as tall as its content. */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src) return;
  var origin = new URL(script.src).origin;
  var params = new URLSearchParams();
  var data = script.dataset || {};
  if (data.category) params.set('category', data.category);
  if (data.area) params.set('area', data.area);
  if (data.title) params.set('title', data.title);
  var query = params.toString();

  var frame = document.createElement('iframe');
  frame.src = origin + '/embed' + (query ? '?' + query : '');
  frame.title = data.title || 'Find support near you';
  frame.width = '100%';
  frame.height = data.height || '640';
  frame.setAttribute('loading', 'lazy');
  frame.style.border = '0';
  frame.style.maxWidth = '100%';
  script.parentNode.insertBefore(frame, script.nextSibling);

  // The widget reports its height; only messages from this frame are believed.
  window.addEventListener('message', function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    var message = event.data;
    if (message && message.frontdoor === 'height' && typeof message.height === 'number' && message.height > 0 && message.height < 20000) {
      frame.height = String(Math.ceil(message.height));
    }
  });
})();
