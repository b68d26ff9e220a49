"""Break the package on purpose, one promise at a time, and check that the suite notices.

Each break is an exact text replacement (it must match exactly once) in a temporary copy of the
repository. The tests that guard that promise then run inside the copy (the copy first on PYTHONPATH, so
both pytest and the CLI subprocesses it starts import the broken package); a break is caught when they
fail. First, the same tests run on an unbroken copy and must pass: a test that fails anyway proves nothing.

    .venv/bin/python scripts/break_check.py            # every break
    .venv/bin/python scripts/break_check.py -k guard   # the breaks whose name contains "guard"

Breaks run side by side (--jobs, one per core by default), each in its own copy.

Exit status 0 when every break was caught, 1 when one survived (or the baseline failed).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORED = shutil.ignore_patterns(
    ".venv", ".git", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "screens", "*.egg-info"
)


@dataclass(frozen=True)
class Edit:
    path: str
    old: str
    new: str


@dataclass(frozen=True)
class Break:
    name: str
    edits: tuple[Edit, ...]
    tests: tuple[str, ...]  # pytest arguments: files, node ids, -k expressions


LOGIN_THEN_TRACE = "            login.log_in()\n            run.start_trace()\n"
BREAKS = (
    Break(
        "host guard removed (run.guard)",
        (
            Edit(
                "infonavit_fetch/flow.py",
                "        context.route(portal.maybe_foreign_rx(settings.portal_url), run.guard)\n",
                "",
            ),
        ),
        ("tests/test_walk.py", "-k", "look_alike"),
    ),
    Break(
        "host guard removed (run.guard_redirects)",
        (
            Edit(
                "infonavit_fetch/browser/session.py",
                "        self.context.route(on_portal, self.guard_redirects)\n",
                "",
            ),
        ),
        ("tests/test_walk.py", "-k", "look_alike"),
    ),
    Break(
        "a redirect's address read by Python's rules, not the browser's (a backslash is a path to Python)",
        (
            Edit(
                "infonavit_fetch/site/portal.py",
                'return urljoin(base, cleaned.replace("\\\\", "/"))',
                "return urljoin(base, location)",
            ),
            Edit("infonavit_fetch/site/portal.py", "return bool(_ODD_IN_ADDRESS.search(location))", "return False"),
        ),
        ("tests/test_walk.py", "-k", "look_alike and backslash"),
    ),
    Break(
        "the run's second login (after the session expired) without the redirect guard",
        (
            Edit(
                "infonavit_fetch/flow.py",
                "                        with run.redirects_guarded():\n                            login.log_in()\n",
                "                        if True:\n                            login.log_in()\n",
            ),
        ),
        ("tests/test_walk.py", "-k", "look_alike and relogin"),
    ),
    Break(
        "screenshot masks removed",
        (
            Edit(
                "infonavit_fetch/flow.py",
                "    masks = [login.nss, login.password, nss_shown(run.page, run.credentials.nss)]\n",
                "    masks = []\n",
            ),
        ),
        ("tests/test_secrets.py", "-k", "wrong and password or blocked or after"),
    ),
    Break(
        "trace started before login",
        (
            Edit(
                "infonavit_fetch/flow.py",
                LOGIN_THEN_TRACE,
                "            run.start_trace()\n            login.log_in()\n",
            ),
        ),
        ("tests/test_secrets.py", "-k", "success"),
    ),
    Break(
        "the driver booted beside the options inherits the secrets",
        (
            Edit(
                "infonavit_fetch/browser/driver.py",
                "with without_secrets(os.environ), _temp_folder(os.environ, temp):",
                "with _temp_folder(os.environ, temp):",
            ),
        ),
        ("tests/test_guard.py", "-k", "inherit"),
    ),
    Break(
        "a click that cannot land does not close the page's layers first",
        (
            Edit(
                "infonavit_fetch/walk/walker.py",
                "            if best is not None and self.last_blocked and self.close_overlays(seen):\n",
                "            if False:\n",
            ),
        ),
        ("tests/test_variants_e2e.py", "-k", "layer_of_the_page"),
    ),
    Break(
        "the notice handler closes a dialog under the walk's own click",
        (
            Edit(
                "infonavit_fetch/walk/walker.py",
                "        with self.run.closing_it_myself():\n",
                "        with contextlib.nullcontext():\n",
            ),
        ),
        ("tests/test_variants_e2e.py", "-k", "closes_itself"),
    ),
    Break(
        "the notice handler closes «Indicaciones» when it opens as a dialog",
        (
            Edit(
                "infonavit_fetch/browser/session.py",
                "        return LoginPage(page).modal_close_button(sparing_the_route=True)\n",
                "        return LoginPage(page).modal_close_button()\n",
            ),
        ),
        ("tests/test_variants_e2e.py", "-k", "dialog-steps or mui-dialogs"),
    ),
    Break(
        "the notice handler's click on a dialog that is gone becomes the action's error",
        (
            Edit(
                "infonavit_fetch/browser/session.py",
                "        with contextlib.suppress(PlaywrightError):\n"
                "            button.click(force=True, timeout=NOTICE_CLICK_MS)\n",
                "        button.click(force=True)\n",
            ),
        ),
        ("tests/test_walk.py", "-k", "never_becomes"),
    ),
    Break(
        "a label that says «después» is not read as putting off",
        (
            Edit(
                "infonavit_fetch/walk/look.py",
                "return label.length <= max && words.some(",
                "return false && label.length <= max && words.some(",
            ),
        ),
        ("tests/test_look.py", "-k", "later"),
    ),
    Break(
        "a click whose tab comes with a slow answer is pressed again",
        (
            Edit(
                "infonavit_fetch/browser/session.py",
                "        if not pending():\n            return False\n        deadline",
                "        if True:\n            return False\n        deadline",
            ),
        ),
        ("tests/test_walk_waits.py", "-k", "slow_tab"),
    ),
    Break(
        "a PDF that reached no route (a blob: tab, a saved blob:) is not read where it ended up",
        (
            Edit(
                "infonavit_fetch/delivery/catcher.py",
                "            if data := download_bytes(download):",
                "            if False:",
            ),
            Edit(
                "infonavit_fetch/delivery/catcher.py",
                "                self._read_address(frame, frame.url)\n",
                "                pass\n",
            ),
        ),
        ("tests/test_download_e2e.py", "-k", "bytes-tab or bytes-save"),
    ),
    Break(
        "words slotted into a component's button are taken for plain text",
        (Edit("infonavit_fetch/walk/look.py", "    if (!host.shadowRoot) return null;", "    return null;"),),
        ("tests/test_look.py", "-k", "slotted"),
    ),
    Break(
        "a step that is marked open but shows nothing is never pressed",
        (Edit("infonavit_fetch/walk/walker.py", "and self.press_open_step(seen):", "and False:"),),
        ("tests/test_variants_e2e.py", "-k", "mui-dialogs"),
    ),
    Break(
        "a single-page app's login is not seen as done when its menu shows only icons",
        (
            Edit(
                "infonavit_fetch/login/conversation.py",
                "(waypoint || signed || (newDocument",
                "(waypoint || (newDocument",
            ),
        ),
        ("tests/test_first_contact.py", "tests/test_blind_portals.py", "-k", "single_page or vuetify_spa"),
    ),
    Break(
        "words in the middle of a sentence taken for a control's label",
        (
            Edit(
                "infonavit_fetch/walk/look.py",
                "const prose = more > args.maxExtraWords && !stemOf(tokensOf(text)[0] || '', first);",
                "const prose = false;",
            ),
        ),
        ("tests/test_look.py", "tests/test_variants_e2e.py", "-k", "test_look or angular-material"),
    ),
    Break(
        "Playwright's DEBUG logging left on for the download",
        (
            Edit(
                "infonavit_fetch/start.py",
                "            driver.silence_playwright(os.environ)\n",
                "            pass\n",
            ),
        ),
        ("tests/test_guard.py", "-k", "debug_logging"),
    ),
    Break(
        "the captcha picture taken from the screen, notice and all",
        (
            Edit(
                "infonavit_fetch/login/captcha.py",
                "        image = picture_of_code(login, self.wait_seconds * 1000)\n",
                "        image = login.captcha_image.screenshot()\n",
            ),
        ),
        ("tests/test_captcha_image.py",),
    ),
    Break(
        "non-atomic save (in place, two chunks)",
        (
            Edit(
                "infonavit_fetch/outputs/save.py",
                '    tmp = out_dir / unguessable(f".{notice_filename(nss, day, stem=stem)}.", ".part")\n',
                "    tmp = out_dir / notice_filename(nss, day, stem=stem)\n",
            ),
            Edit(
                "infonavit_fetch/outputs/save.py",
                "                handle.write(data)\n",
                "                handle.write(data[: len(data) // 2])\n"
                "                handle.write(data[len(data) // 2 :])\n",
            ),
        ),
        ("tests/test_save.py",),
    ),
    Break(
        "overwriting save",
        (
            Edit(
                "infonavit_fetch/outputs/save.py",
                "                os.link(tmp, final)  # fails",
                "                os.replace(tmp, final)  # fails",
            ),
        ),
        ("tests/test_save.py", "tests/test_unit.py", "-k", "save"),
    ),
    Break(
        "rejected password treated as retryable",
        (
            Edit(
                "infonavit_fetch/site/portal.py",
                "RETRYABLE = (Outcome.WRONG_CAPTCHA, Outcome.MISSING_INPUT)\n",
                "RETRYABLE = (Outcome.WRONG_CAPTCHA, Outcome.MISSING_INPUT, Outcome.BAD_CREDENTIALS)\n",
            ),
        ),
        ("tests/test_failures.py", "tests/test_download_e2e.py", "-k", "wrong and password or reads_like_an_error"),
    ),
    Break(
        "full NSS left in the saved HTML",
        (
            Edit(
                "infonavit_fetch/outputs/diagnostics.py",
                '(folder / "pagina.html", redactor.text(strip_form_values(page.content())).encode("utf-8"))',
                '(folder / "pagina.html", strip_form_values(page.content()).encode("utf-8"))',
            ),
        ),
        ("tests/test_secrets.py", "-k", "Formaliza or truncated"),
    ),
    Break(
        "the browser's own dialogs left to Playwright (dismissed: an alert's answer unread, a confirm refused)",
        (Edit("infonavit_fetch/flow.py", '        context.on("dialog", run.on_dialog)\n', ""),),
        ("tests/test_download_e2e.py", "-k", "alert"),
    ),
    Break(
        "a notice whose «Acepto» waits for «He leído…» is never ticked",
        (Edit("infonavit_fetch/walk/look.py", "    if (!best) best = acknowledgement(root);\n", ""),),
        ("tests/test_blind_portals.py", "-k", "primefaces"),
    ),
    Break(
        "no scrolling down for what a page loads once it is in view",
        (
            Edit(
                "infonavit_fetch/walk/walker.py",
                "            elif self.clear_the_way(seen) or self.look_further_down(seen):\n",
                "            elif self.clear_the_way(seen):\n",
            ),
        ),
        ("tests/test_variants_e2e.py", "-k", "random_variants and (2 or 3)"),
    ),
    Break(
        "a warning of what could happen read as a lock-out",
        (
            Edit(
                "infonavit_fetch/site/portal.py",
                '    actual = HYPOTHETICAL.sub(" ", folded)\n',
                "    actual = folded\n",
            ),
        ),
        ("tests/test_login_answers.py", "tests/test_variants_e2e.py", "-k", "bloque or overlays"),
    ),
    Break(
        "a click found covered waits out its whole budget instead of ending for the walk to clear the way",
        (
            Edit(
                "infonavit_fetch/walk/walker.py",
                '                if over and self._once(f"covered:{label}", MAX_COVERED):\n',
                "                if False:\n",
            ),
        ),
        ("tests/test_variants_e2e.py", "-k", "wall_that_comes"),
    ),
    Break(
        "a layer under another is closed first (its control cannot be pressed)",
        (
            Edit(
                "infonavit_fetch/walk/walker.py",
                "sorted(where.sight.overlays, key=lambda o: (o.under, o.rank))",
                "sorted(where.sight.overlays, key=lambda o: o.rank)",
            ),
        ),
        ("tests/test_variants_e2e.py", "-k", "closes_itself"),
    ),
    Break(
        "a click found covered still counts as the action taken (a step put off by it is never pressed)",
        (
            Edit(
                "infonavit_fetch/walk/walker.py",
                "                        self.done[counted] -= 1  # not pressed",
                "                        pass  # not pressed",
            ),
        ),
        ("tests/test_variants_e2e.py", "-k", "random_variants and 4]"),
    ),
    Break(
        "a window that says it prepares the document does not hold off asking the person",
        (
            Edit(
                "infonavit_fetch/walk/walker.py", "if headed and self.portal_is_preparing(last_progress):", "if False:"
            ),
        ),
        ("tests/test_hand_over.py", "-k", "prepares"),
    ),
    Break(
        "a press of «Iniciar sesión» that sent nothing is never made again",
        (
            Edit(
                "infonavit_fetch/login/conversation.py",
                "                self.press_again_if_nothing_left(started)\n",
                "                pass\n",
            ),
        ),
        ("tests/test_download_e2e.py", "-k", "press_that_sent"),
    ),
    Break(
        "the login pressed again although the form went out (the password sent twice)",
        (
            Edit(
                "infonavit_fetch/login/conversation.py",
                "if not run.solver.submits or self.pressed_again or run.sends != self.sends_before:",
                "if not run.solver.submits or self.pressed_again:",
            ),
        ),
        ("tests/test_login_answers.py", "-k", "press_is_made_again"),
    ),
    Break(
        "a password reminder that can be put off read as a demand",
        (
            Edit(
                "infonavit_fetch/login/conversation.py",
                'if read and read[0] is Outcome.PASSWORD_CHANGE and answer["later"]:',
                "if False:",
            ),
        ),
        ("tests/test_variants_e2e.py", "-k", "overlays"),
    ),
    # First contact (issue 19): each promise of the first-contact work, broken once.
    Break(
        "the notice shown as a page is not printed",
        (
            Edit(
                "infonavit_fetch/walk/walker.py",
                "                run.catcher.print_page(where.frame.page)\n",
                "                pass\n",
            ),
        ),
        ("tests/test_blind_portals.py", "-k", "jsp_print_page"),
    ),
    Break(
        "a page of several documents after the print step is not read for the notice's row",
        (
            Edit(
                "infonavit_fetch/walk/walker.py",
                "            self.route = portal.FORMALIZA_LIST  # a list of documents: the notice's own entry\n",
                "            pass\n",
            ),
        ),
        ("tests/test_blind_portals.py", "-k", "gobmx_wizard or captcha_own_page"),
    ),
    Break(
        "a step under a stage the page calls finished is taken like any other",
        (
            Edit(
                "infonavit_fetch/walk/walker.py",
                "key=lambda c: (c[1].section >= 0, not c[1].prose, c[1].waypoint, c[1].section, -c[1].extra),",
                "key=lambda c: (not c[1].prose, c[1].waypoint, -c[1].extra),",
            ),
        ),
        ("tests/test_blind_portals.py", "-k", "jsp_print_page"),
    ),
    Break(
        "the catcher disarmed once the print step's page came (the person's form that answers with an attachment)",
        (
            Edit(
                "infonavit_fetch/walk/walker.py",
                "            self.handover.enter_context(run.catcher.arming())\n",
                "            pass\n",
            ),
        ),
        ("tests/test_blind_portals.py", "-k", "person_makes and gobmx_wizard"),
    ),
    Break(
        "a notice of another worker's NSS saved as this worker's",
        (Edit("infonavit_fetch/job.py", "if named is not None and named != nss:", "if False:"),),
        ("tests/test_guard.py", "-k", "another_worker"),
    ),
    Break(
        "a login box filled with the whole wait at once (a page gone to another host is seen only after it)",
        (
            Edit(
                "infonavit_fetch/browser/session.py",
                "action(max(1.0, min(WAIT_SLICE_MS, remaining)))",
                "action(self.settings.timeout_ms)",
            ),
        ),
        ("tests/test_walk.py", "-k", "look_alike and typing"),
    ),
    Break(
        "a --portal-url of another site accepted (the browser opens on it)",
        (Edit("infonavit_fetch/cli/app.py", "    if not is_portal_address(portal_url):\n", "    if False:\n"),),
        ("tests/test_failures.py", "-k", "another"),
    ),
    Break(
        "the notice's PDF kept in the trace as base64 (a route's answer)",
        (Edit("infonavit_fetch/outputs/diagnostics.py", '            data = _PDF_IN_BASE64.sub(b"", data)\n', ""),),
        ("tests/test_secrets.py", "-k", "success and blob"),
    ),
    Break(
        "the NSS painted over only where the page shows its 11 digits as text (not spread out, in a box, by a style)",
        (
            Edit(
                "infonavit_fetch/outputs/diagnostics.py",
                "    if (shown(el).some((text) => rx.test(text))) el.setAttribute('data-infonavit-nss', '');\n",
                "",
            ),
        ),
        ("tests/test_secrets.py", "-k", "however_the_page_shows_it"),
    ),
    Break(
        "the NSS spread out with spaces or dashes left in the saved HTML",
        (
            Edit(
                "infonavit_fetch/outputs/diagnostics.py",
                "return spread.sub(mask_nss(self.nss), value) if spread else value",
                "return value",
            ),
        ),
        ("tests/test_secrets.py", "-k", "however_the_page_shows_it"),
    ),
    Break(
        "the driver and the browser share the person's temporary folder (a group's Ctrl-C leaves Chromium's files)",
        (
            Edit(
                "infonavit_fetch/browser/driver.py",
                "with without_secrets(os.environ), _temp_folder(os.environ, temp):",
                "with without_secrets(os.environ):",
            ),
        ),
        ("tests/test_guard.py", "-k", "captcha_prompt_clean and group"),
    ),
    Break(
        "a small layer a click landed on (a banner with position:absolute) is never offered for closing",
        (Edit("infonavit_fetch/walk/walker.py", "  layer.setAttribute('data-infonavit-cover', '');\n", ""),),
        ("tests/test_first_contact.py", "tests/test_blind_portals.py", "-k", "small_layer or notice_from and ionic"),
    ),
    Break(
        "a step named only in a sentence stops the search for a short control that shares its word",
        (
            Edit(
                "infonavit_fetch/walk/look.py",
                "!found.some((f) => f.clickable && !f.prose) && tokensOf(label).length <= 3",
                "!found.length && tokensOf(label).length <= 3",
            ),
        ),
        ("tests/test_first_contact.py", "-k", "sentence_is_looked"),
    ),
    Break(
        "a glyph («▤») read as a control's words instead of its name",
        (
            Edit(
                "infonavit_fetch/walk/look.py",
                "return /[\\p{L}\\p{N}]/u.test(own) ? own : nameOf(el) || own;",
                "return own || nameOf(el);",
            ),
        ),
        ("tests/test_first_contact.py", "-k", "sentence_is_looked"),
    ),
    Break(
        "a page the portal sends the walk back to again and again is never asked what it wants first",
        (
            Edit(
                "infonavit_fetch/walk/walker.py",
                '            self.ask_first = True\n            return True\n        self.run.log("el portal volvió',
                '            return False\n        self.run.log("el portal volvió',
            ),
        ),
        ("tests/test_blind_portals.py", "-k", "notice_from and credit_active_viewer"),
    ),
    Break(
        "an answer bigger than any notice waited out in silence",
        (
            Edit(
                "infonavit_fetch/delivery/catcher.py",
                "if self.notice is None and self.other is None and self.too_big:",
                "if False:",
            ),
        ),
        ("tests/test_guard.py", "-k", "bigger_than_any_notice"),
    ),
    Break(
        "exit 6 (no connection) without the --debug-dir hint the README promises",
        (
            Edit(
                "infonavit_fetch/cli/app.py",
                "REPORT_HELPS = (UnexpectedError.exit_code, 6, 8)",
                "REPORT_HELPS = (UnexpectedError.exit_code, 8)",
            ),
        ),
        ("tests/test_failures.py", "-k", "no and connection"),
    ),
    Break(
        "--captcha-timeout's upper limit raised tenfold",
        (
            Edit(
                "infonavit_fetch/cli/settings.py",
                "CAPTCHA_TIMEOUT_RANGE = (5, 3600)",
                "CAPTCHA_TIMEOUT_RANGE = (5, 36000)",
            ),
        ),
        ("tests/test_failures.py", "-k", "captcha-timeout"),
    ),
    Break(
        "--trace without --debug-dir accepted silently",
        (
            Edit(
                "infonavit_fetch/cli/app.py", 'if params.get("trace") and params.get("debug_dir") is None:', "if False:"
            ),
        ),
        ("tests/test_failures.py", "-k", "trace and without"),
    ),
    Break(
        "headless exit 8 no longer names the last step found",
        (
            Edit(
                "infonavit_fetch/walk/walker.py",
                'after = t(" después de «{after}»", after=self.route.waypoints[self.reached])',
                'after = ""',
            ),
        ),
        ("tests/test_walk.py", "-k", "blocked_once"),
    ),
    Break(
        "the e-mail draft opened to truncate, not created new (an edited draft overwritten)",
        (
            Edit(
                "infonavit_fetch/outputs/nextstep.py",
                "os.O_WRONLY | os.O_CREAT | os.O_EXCL",
                "os.O_WRONLY | os.O_CREAT | os.O_TRUNC",
            ),
        ),
        ("tests/test_save.py", "-k", "never_overwrites_one"),
    ),
    Break(
        "the .part file under a fixed name (a leftover blocks every later save)",
        (
            Edit(
                "infonavit_fetch/outputs/save.py",
                'unguessable(f".{notice_filename(nss, day, stem=stem)}.", ".part")',
                'f".{notice_filename(nss, day, stem=stem)}.part"',
            ),
        ),
        ("tests/test_save.py", "-k", "part_file"),
    ),
    Break(
        "a close-like control that leads away («Cerrar sesión») taken to close a layer",
        (
            Edit(
                "infonavit_fetch/walk/look.py",
                "    if (!label || args.avoid.some((a) => label.includes(a))) return -1;\n",
                "    if (!label) return -1;\n",
            ),
        ),
        ("tests/test_first_contact.py", "-k", "leads_away"),
    ),
    Break(
        "a browser prompt() answered (with its default text) instead of declined",
        (Edit("infonavit_fetch/browser/session.py", 'if dialog.type == "prompt":', "if False:"),),
        ("tests/test_walk.py", "-k", "own_dialogs"),
    ),
    Break(
        "the password read with input() (it echoes) instead of getpass",
        (
            Edit(
                "infonavit_fetch/login/credentials.py",
                "    ask_password: Callable[[str], str] = getpass.getpass,\n",
                "    ask_password: Callable[[str], str] = input,\n",
            ),
        ),
        ("tests/test_guard.py", "-k", "not_shown"),
    ),
    Break(
        "the other notices' words forgotten (a row «Avisos de retención y suspensión» taken for the notice's)",
        (
            Edit(
                "infonavit_fetch/site/portal.py",
                'OTHER_NOTICES = ("suspension", "suspensión", "modificacion", "modificación")',
                "OTHER_NOTICES: tuple[str, ...] = ()",
            ),
        ),
        ("tests/test_first_contact.py", "-k", "row_in_a_list"),
    ),
    Break(
        "the --out folder the tool made for a notice that never came left behind",
        (
            Edit(
                "infonavit_fetch/job.py",
                "        remove_if_empty(made)  # a folder the tool made and that holds nothing is not left behind\n",
                "        pass\n",
            ),
        ),
        ("tests/test_guard.py", "-k", "captcha_prompt_clean and ctrl"),
    ),
    Break(
        "Ctrl-C's message written on the question's own line",
        (Edit("infonavit_fetch/cli/app.py", "    if console.prompt_open:", "    if False:"),),
        ("tests/test_guard.py", "-k", "captcha_prompt_clean and ctrl"),
    ),
    Break(
        "a step is matched only by its exact words",
        (
            Edit(
                "infonavit_fetch/walk/look.py",
                "  const says = (text, i) => otherWords(text, i) >= 0;",
                "  const says = (text, i) => text.includes(waypoints[i]);",
            ),
        ),
        ("tests/test_first_contact.py", "-k", "other_words"),
    ),
    Break(
        "a control without text of its own is not read by its accessible name",
        (
            Edit(
                "infonavit_fetch/walk/look.py",
                "      if (text && text.length <= args.maxText) consider(el, text);\n",
                "",
            ),
        ),
        ("tests/test_first_contact.py", "-k", "accessible_name"),
    ),
    Break(
        "a login page that asks for something else after the press is not followed",
        (
            Edit(
                "infonavit_fetch/login/conversation.py",
                'return Outcome.ONE_TIME_CODE if form["otp"] and not form["captcha"] else Outcome.NEXT_PAGE',
                "return None",
            ),
        ),
        ("tests/test_blind_portals.py", "-k", "gobmx_wizard or captcha_own_page"),
    ),
    Break(
        "the one-time code the person types is not put in its boxes",
        (
            Edit(
                "infonavit_fetch/login/conversation.py",
                "            run.act_on_portal(lambda ms: boxes.first.fill(code, timeout=ms))\n",
                "            pass\n",
            ),
        ),
        ("tests/test_blind_portals.py", "-k", "gobmx_wizard"),
    ),
    Break(
        "a line of the notice with several pairs is read as one pair",
        (
            Edit(
                "infonavit_fetch/site/notice.py", "    lines = [pair for line in lines for pair in _pairs(line)]\n", ""
            ),
        ),
        ("tests/test_first_contact.py", "tests/test_notice_layouts.py", "-k", "several_pairs or pairs"),
    ),
    Break(
        "a message that mentions the password in passing is read as a demand to change it",
        (
            Edit(
                "infonavit_fetch/site/portal.py",
                "    if password and PASSWORD_ITSELF.search(folded) and",
                "    if password and (_any(SAYS_EXPIRED, folded) or _any(SAYS_CHANGE, folded)) and",
            ),
        ),
        ("tests/test_first_contact.py", "-k", "passing"),
    ),
    Break(
        "the catcher listens only once the tool presses the print step (the person's own click is lost)",
        (
            Edit(
                "infonavit_fetch/flow.py",
                "        catcher.start()  # from the login on: whoever clicks, the notice is caught\n",
                "",
            ),
        ),
        ("tests/test_hand_over.py", "-k", "whatever_way and (form-post or inline-new-tab or attachment)"),
    ),
    Break(
        "the step log names what carried the PDF by the browser's code word («document»)",
        (
            Edit(
                "infonavit_fetch/outputs/diagnostics.py",
                '    return RESOURCE_WORDS.get(resource_type, "respuesta")',
                "    return resource_type",
            ),
        ),
        ("tests/test_spanish_log.py", "-k", "attachment or words"),
    ),
    Break(
        "the step log says where the stage is in the code's words («at», «before»)",
        (
            Edit(
                "infonavit_fetch/site/portal.py",
                'STAGE_POSITION_WORDS = {"before": "antes de", "at": "es", "past": "después de"}',
                "STAGE_POSITION_WORDS: dict[str, str] = {}",
            ),
        ),
        ("tests/test_spanish_log.py", "-k", "attachment"),
    ),
    Break(
        "a wait that ends with the page's own «no change» taken for a change (a busy machine looks again at once)",
        (
            Edit(
                "infonavit_fetch/walk/walker.py",
                "            return found.json_value() is not False\n",
                "            return True\n",
            ),
        ),
        ("tests/test_walk_waits.py", "-k", "own_no_change"),
    ),
    Break(
        "the next step names the bare command even where PATH does not find it (command not found)",
        (
            Edit(
                "infonavit_fetch/cli/invocation.py",
                "    if found is not None and (own is None or _same(found, own)):\n",
                "    if True:\n",
            ),
        ),
        ("tests/test_next_step.py", "-k", "new_terminal or bare_name"),
    ),
    Break(
        "the message opened for webmail names the NSS whole",
        (
            Edit(
                "infonavit_fetch/outputs/nextstep.py",
                'lines.append(f"NSS: termina en {nss[-4:]} (completo en el aviso adjunto)")',
                'lines.append(f"NSS: {nss}")',
            ),
        ),
        ("tests/test_outputs_e2e.py", "tests/test_show.py", "-k", "compose"),
    ),
    Break(
        "the PDF's folder opened unasked when a script reads the result (standard output is a pipe)",
        (
            Edit(
                "infonavit_fetch/cli/app.py",
                "show_folder=open_files is None and not json_output and _is_terminal(sys.stdout),",
                "show_folder=open_files is None and not json_output,",
            ),
        ),
        ("tests/test_show.py", "tests/test_outputs_e2e.py", "-k", "unasked or desktop_terminal or open"),
    ),
    Break(
        "the first run silent while pip installs (no word every few seconds)",
        (Edit("scripts/setup.sh", '      echo "  … sigue trabajando', '      : "  … sigue trabajando'),),
        ("tests/test_setup.py", "-k", "every_few_seconds"),
    ),
    Break(
        "while armed, an answer the route never saw is dropped (a person's click just before the hand-over)",
        (
            Edit(
                "infonavit_fetch/delivery/catcher.py",
                "        if request in self._routed:\n",
                "        if self.armed:\n",
            ),
        ),
        ("tests/test_catcher.py",),
    ),
    # --- a round proposed by a reader of the README who had not read the tests (issue 23) -------------
    Break(
        "--timeout's upper limit raised tenfold",
        (Edit("infonavit_fetch/cli/settings.py", "TIMEOUT_RANGE = (1, 600)", "TIMEOUT_RANGE = (1, 6000)"),),
        ("tests/test_failures.py", "-k", "600.5"),
    ),
    Break(
        "--email-to with several addresses accepted (only its start is checked)",
        (
            Edit(
                "infonavit_fetch/cli/app.py",
                "if not SINGLE_ADDRESS.fullmatch(address):",
                "if not SINGLE_ADDRESS.match(address):",
            ),
        ),
        ("tests/test_failures.py", "-k", "email and two"),
    ),
    Break(
        "--email-to with accents or ñ accepted",
        (Edit("infonavit_fetch/cli/app.py", "    if not address.isascii():", "    if not address.isprintable():"),),
        ("tests/test_failures.py", "-k", "address and not email"),
    ),
    Break(
        "a closed terminal (SIGHUP) ends with 130, as a plain Ctrl-C",
        (
            Edit(
                "infonavit_fetch/cli/app.py",
                'kind = {"SIGTERM": Terminated, "SIGHUP": HungUp}.get(signal_name)',
                'kind = {"SIGTERM": Terminated}.get(signal_name)',
            ),
        ),
        ("tests/test_guard.py", "tests/test_unit.py", "-k", "hup or signal or 129"),
    ),
    Break(
        "a portal that asks for a new password ends as a refused password (code 3, not 5)",
        (
            Edit(
                "infonavit_fetch/login/conversation.py",
                "if outcome is Outcome.PASSWORD_CHANGE:\n            return AccountNeedsAttention(",
                "if outcome is Outcome.PASSWORD_CHANGE:\n            return CredentialsRejected(",
            ),
        ),
        ("tests/test_failures.py", "tests/test_login_answers.py", "-k", "change"),
    ),
    Break(
        "five captcha attempts instead of three",
        (Edit("infonavit_fetch/cli/settings.py", "CAPTCHA_ATTEMPTS = 3", "CAPTCHA_ATTEMPTS = 5"),),
        ("tests/test_failures.py", "tests/test_login_answers.py", "-k", "captcha or code or three"),
    ),
    Break(
        "the NSS's check digit not verified",
        (
            Edit(
                "infonavit_fetch/site/nss.py",
                "if luhn_check_digit(nss[:10]) != int(nss[10]):",
                "if False and luhn_check_digit(nss[:10]) != int(nss[10]):",
            ),
        ),
        ("tests/test_unit.py", "-k", "nss"),
    ),
    Break(
        "a mistyped NSS at the prompt ends the run at once (asked only once)",
        (
            Edit(
                "infonavit_fetch/login/credentials.py",
                "def ask_nss(console: Console, tries: int = 3) -> str:",
                "def ask_nss(console: Console, tries: int = 1) -> str:",
            ),
        ),
        ("tests/test_credentials.py", "-k", "mistyped"),
    ),
    Break(
        "an unquoted « #» in the .env's password silently cuts it (the check looks at the NSS line)",
        (
            Edit(
                "infonavit_fetch/login/credentials.py",
                "if binding.key == ENV_PASSWORD and _comment_cuts_value(binding.original.string):",
                "if binding.key == ENV_NSS and _comment_cuts_value(binding.original.string):",
            ),
        ),
        ("tests/test_credentials.py", "-k", "hash"),
    ),
    Break(
        "the .env's password wins over INFONAVIT_PASSWORD in the environment",
        (
            Edit(
                "infonavit_fetch/login/credentials.py",
                "    password = env.get(ENV_PASSWORD) or file_values.get(ENV_PASSWORD)\n",
                "    password = file_values.get(ENV_PASSWORD) or env.get(ENV_PASSWORD)\n",
            ),
        ),
        ("tests/test_credentials.py", "-k", "environment_wins"),
    ),
    Break(
        "the secrets left in the environment once read (a PDF viewer opened by --open inherits them)",
        (
            Edit(
                "infonavit_fetch/login/credentials.py", "        env.pop(name, None)\n", "        env.get(name, None)\n"
            ),
        ),
        ("tests/test_credentials.py", "-k", "leave"),
    ),
    Break(
        "the saved notice's date written day first",
        (
            Edit(
                "infonavit_fetch/outputs/save.py",
                'return f"{stem}-{nss}-{day.isoformat()}{suffix}.pdf"',
                "return f\"{stem}-{nss}-{day.strftime('%d-%m-%Y')}{suffix}.pdf\"",
            ),
        ),
        ("tests/test_unit.py", "-k", "name"),
    ),
    Break(
        "an --out folder whose parents are missing too is not made (exit 9)",
        (
            Edit(
                "infonavit_fetch/job.py",
                "folder.mkdir(parents=True, exist_ok=True)\n        probe =",
                "folder.mkdir(exist_ok=True)\n        probe =",
            ),
        ),
        ("tests/test_outputs_e2e.py", "-k", "parents"),
    ),
    Break(
        "the e-mail draft always addressed to CARE (--email-to ignored)",
        (Edit("infonavit_fetch/outputs/nextstep.py", 'message["To"] = to', 'message["To"] = CARE_ADDRESS'),),
        ("tests/test_outputs_e2e.py", "-k", "email_to_another"),
    ),
    Break(
        "the notice's NSS shown whole in the summary (and in --json)",
        (
            Edit(
                "infonavit_fetch/site/notice.py", 'found["nss"] = mask_nss(found["nss"])', 'found["nss"] = found["nss"]'
            ),
        ),
        ("tests/test_unit.py", "tests/test_notice_layouts.py", "-k", "notice"),
    ),
    Break(
        "a label alone on its line (its value on the next) not read",
        (Edit("infonavit_fetch/site/notice.py", "raw = following", 'raw = ""'),),
        ("tests/test_notice_layouts.py", "tests/test_unit.py", "-k", "notice"),
    ),
    Break(
        "the report's folder open to everyone (0755)",
        (Edit("infonavit_fetch/outputs/diagnostics.py", "folder.chmod(0o700)", "folder.chmod(0o755)"),),
        ("tests/test_secrets.py", "-k", "no_secret_leaks and wrong"),
    ),
    Break(
        "the saved HTML keeps the form's values",
        (
            Edit(
                "infonavit_fetch/outputs/diagnostics.py",
                'html = _INPUT_TAG.sub(lambda m: _VALUE_ATTR.sub("", m.group(0)), html)',
                "html = _INPUT_TAG.sub(lambda m: m.group(0), html)",
            ),
        ),
        ("tests/test_unit.py", "-k", "strip_form_values"),
    ),
    Break(
        "the captcha picture's file never removed",
        (
            Edit(
                "infonavit_fetch/login/captcha.py",
                "finally:\n            path.unlink(missing_ok=True)",
                "finally:\n            pass",
            ),
        ),
        ("tests/test_captcha_image.py",),
    ),
    Break(
        "the person asked for a click gets --timeout, not --captcha-timeout",
        (
            Edit(
                "infonavit_fetch/walk/walker.py",
                "self.handing_over = time.monotonic() + run.settings.captcha_timeout",
                "self.handing_over = time.monotonic() + run.settings.timeout",
            ),
        ),
        ("tests/test_hand_over.py", "-k", "captcha_time"),
    ),
)


def make_copy(parent: Path, name: str) -> Path:
    copy = parent / name
    shutil.copytree(ROOT, copy, ignore=IGNORED, symlinks=True)
    return copy


def misplaced(tree: Path, breaks: tuple[Break, ...] | list[Break]) -> list[str]:
    """The edits whose text is not in their file exactly once, as "path: N times: text"."""
    wrong = []
    for item in breaks:
        for edit in item.edits:
            found = (tree / edit.path).read_text(encoding="utf-8").count(edit.old)
            if found != 1:
                wrong.append(f"{item.name}: {edit.path}: {found} times, not once:\n{edit.old}")
    return wrong


def apply(copy: Path, edit: Edit) -> None:
    path = copy / edit.path
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(edit.old, edit.new, 1), encoding="utf-8")


def pytest_in(copy: Path, args: tuple[str, ...] | list[str], log: Path) -> int:
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    # The copy must be what gets imported, by pytest and by the CLI it starts (python -m infonavit_fetch).
    where = subprocess.run(
        [sys.executable, "-c", "import infonavit_fetch, fixtures; print(infonavit_fetch.__file__, fixtures.__file__)"],
        cwd=copy / "tests",
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if where.count(str(copy)) != 2:
        raise SystemExit(f"break_check: the copy is not what Python imports: {where}")
    # Its own temporary root: pytest runs side by side would otherwise prune each other's.
    basetemp = log.with_suffix(".tmp")
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", f"--basetemp={basetemp}", *args]
    with log.open("w", encoding="utf-8") as out:
        return subprocess.run(command, cwd=copy, env=env, stdout=out, stderr=subprocess.STDOUT, check=False).returncode


def tail(log: Path, lines: int = 15) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def run_one(work: Path, number: int, item: Break) -> tuple[Break, int, float, Path]:
    """One break in a copy of its own: its targeted tests' pytest status, the time taken and the log."""
    copy = make_copy(work, f"break-{number}")
    for edit in item.edits:
        apply(copy, edit)
    log = work / f"break-{number}.log"
    began = time.monotonic()
    try:
        status = pytest_in(copy, item.tests, log)
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    return item, status, time.monotonic() - began, log


def baseline_fails(work: Path, breaks: list[Break], jobs: int) -> str:
    """The targeted tests on an unbroken copy, each set once: what failed, or "" when all passed."""
    clean = make_copy(work, "unbroken")
    sets = list(dict.fromkeys(item.tests for item in breaks))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        runs = {pool.submit(pytest_in, clean, tests, work / f"baseline-{n}.log"): n for n, tests in enumerate(sets)}
        for done in as_completed(runs):
            number = runs[done]
            if done.result() != 0:
                for other in runs:
                    other.cancel()
                log = work / f"baseline-{number}.log"
                return f"pytest {' '.join(sets[number])} fails without any break:\n{tail(log)}"
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", default="", help="only the breaks whose name contains this")
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the run on the unbroken copy (when the whole suite has just passed on this tree, as in .ci/run)",
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="breaks checked at once")
    options = parser.parse_args()
    breaks = [b for b in BREAKS if options.k.lower() in b.name.lower()]
    # Checked before anything runs: a break that no longer applies would otherwise stop the run at its turn.
    wrong = misplaced(ROOT, breaks)
    if wrong:
        print("break_check: these breaks no longer match the code:\n" + "\n".join(wrong))
        return 1
    jobs = max(1, options.jobs)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="break-check-") as tmp:
        work = Path(tmp)
        if not options.no_baseline:
            failed = baseline_fails(work, breaks, jobs)
            if failed:
                print(f"baseline FAILED ({failed}")
                return 1
            print(f"baseline: the targeted tests pass on the unbroken copy ({time.monotonic() - started:.0f} s)")
        survived = []
        # Each break in its own copy and its own pytest, so they can run side by side.
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            runs = [pool.submit(run_one, work, number, item) for number, item in enumerate(breaks)]
            for done in as_completed(runs):
                item, status, took, log = done.result()
                if status == 1:
                    print(f"caught    {item.name} ({took:.0f} s)", flush=True)
                else:
                    survived.append(item.name)
                    why = "tests passed" if status == 0 else f"pytest exit {status}"
                    print(f"SURVIVED  {item.name} ({why}; {took:.0f} s)\n{tail(log)}", flush=True)
    total, took = len(breaks), time.monotonic() - started
    print(f"{total - len(survived)} of {total} breaks caught, {len(survived)} survived ({took:.0f} s, {jobs} at once)")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
