"""The browser: Playwright's driver, finding Chromium or Edge, launching it, the run's tab and its guard."""
