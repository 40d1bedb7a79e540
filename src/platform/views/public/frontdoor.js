// Frontdoor's progressive enhancements. Every page works without this file.
import { initAll } from '/assets/govuk-frontend.min.js';

initAll();
