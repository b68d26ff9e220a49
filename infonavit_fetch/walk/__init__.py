"""The manual's steps from the logged-in page to the notice: what is in sight, what to do, doing it."""
