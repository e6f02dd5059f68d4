"""A real JupyterHub, end to end (issue 22): one instructor and two students on one hub, the
nbgrader exchange between them, and the course package installed from a wheel as a hub image
installs it, with no checkout and no ``solutions/`` where the students are.

The test (as root) creates three Unix accounts and removes them afterwards, and builds the hub
image's environment: a virtual environment that sees this environment's packages (JupyterLab,
nbgrader, numpy, ...: no download) and has the course installed into it from its wheel, run
by a Python the hub's users may execute (this interpreter, or a hard-linked copy of its
installation when it sits in root's home). It writes the hub's configuration (PAM log-in, the
default local-process spawner, configurable-http-proxy from npm, a global nbgrader_config.py
with the course id and the exchange, the students' view from ``jupyter-config/hub-student``)
and starts
JupyterHub on 127.0.0.1. Then, as on a real hub:

* the instructor logs in, opens a terminal, releases ex01 (``nbgrader generate_assignment`` /
  ``release_assignment``) and makes the students' self-check course (``naltrexone-course
  student-check``);
* in Chromium each student logs in, fetches ex01 from the *Assignments* panel, opens it, answers
  it (ada with the right answers, ben leaves it blank), runs the exercise's own check cell, and
  submits it from the panel;
* the instructor collects, grades with ``naltrexone-course grade``, writes feedback pages with
  ``naltrexone-course feedback`` and releases them;
* each student fetches the feedback from the panel and opens the page in Chromium.

The instructor types each command into a terminal of their JupyterLab in Chromium; the
students' steps are clicks in the browser, except the answers, which are written into the
fetched notebook through the Jupyter server's contents API from the student's page (what
JupyterLab's save sends) rather than typed key by key.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from browser_support import ARTIFACTS, CHROMIUM
from helpers import CHROMIUM_FLAGS, ROOT, free_port

from naltrexone_lab.tooling.grading import fill_in_solutions, solution_notebook

pytestmark = [pytest.mark.slow, pytest.mark.browser]

EX = "ex01_antagonism"
INSTRUCTOR = "ntxinst"
STUDENTS = ("ntxada", "ntxben")  # ada answers right, ben hands in the blank notebook
COURSE_ID = "naltrexone-lab"
VENV_BIN = Path(sys.executable).parent


def _skip_reason() -> str | None:
    if os.name != "posix" or os.geteuid() != 0:
        return "needs root: the test creates the hub's Unix accounts and the hub spawns as them"
    for tool in ("useradd", "userdel", "chpasswd", "runuser"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if shutil.which("configurable-http-proxy") is None:
        return ("configurable-http-proxy is not installed (npm install -g "
                "configurable-http-proxy; .ci/run does)")
    if shutil.which("jupyterhub", path=str(VENV_BIN)) is None:
        return "JupyterHub is not installed (pip install -e '.[dev]')"
    if CHROMIUM is None:
        return "no Chromium on this machine (Debian: apt-get install chromium; .ci/run does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[dev]')"
    return None


def _remove_user(name: str) -> None:
    subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
    subprocess.run(["userdel", "-r", "-f", name], capture_output=True)


def _executable_by_all(path: Path) -> bool:
    return all(p.stat().st_mode & 0o001 for p in (path, *path.parents))


def _link_or_copy(src, dst) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system
        shutil.copy2(src, dst)


def _users_python(base: Path) -> tuple[Path, str]:
    """A Python the hub's users may run that is this very interpreter build (the same standard
    library: Debian's own 3.11.2 cannot parse the CSS selectors nbconvert's HTML export uses
    with this environment's soupsieve): this one, or, where it sits in a folder only root may
    enter (pyenv in /root), a copy of its installation made of hard links. Returns the python
    and the LD_LIBRARY_PATH it needs ("" for none)."""
    own = Path(os.path.realpath(sys.executable))
    if _executable_by_all(own):
        return own, ""
    home = Path(sys.base_prefix)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    copy = base / "python"
    (copy / "bin").mkdir(parents=True)
    _link_or_copy(home / "bin" / version, copy / "bin" / version)
    (copy / "lib").mkdir()
    for lib in (home / "lib").glob("libpython*"):
        _link_or_copy(lib, copy / "lib" / lib.name)
    shutil.copytree(home / "lib" / version, copy / "lib" / version, copy_function=_link_or_copy,
                    ignore=shutil.ignore_patterns("site-packages", "test", "idlelib", "tkinter",
                                                  "turtledemo", "lib2to3", "ensurepip"))
    for path in [copy, *copy.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
    return copy / "bin" / version, str(copy / "lib")


def _users_environment(base: Path, python: Path) -> Path:
    """The hub image's environment, made from this one: a virtual environment of ``python``
    that sees this environment's packages (one .pth line, no copies) and has their commands,
    with the course package installed into it from its wheel (not editable), as a hub image's
    ``pip install`` would. Returns the environment's folder."""
    src = base / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    for name in ("naltrexone_lab", "jupyter-config"):
        shutil.copytree(ROOT / name, src / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(base / "dist"), str(src)],
                   check=True, capture_output=True)
    shutil.rmtree(src)
    (wheel,) = (base / "dist").glob("naltrexone_lab-*.whl")
    env = base / "env"
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(env)], check=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    "--ignore-installed", "--prefix", str(env), str(wheel)],
                   check=True, capture_output=True)
    # (without --ignore-installed, pip removes this environment's editable install first)
    mine = subprocess.run([sys.executable, "-c", "import naltrexone_lab; print(naltrexone_lab.__file__)"],
                          capture_output=True, text=True, cwd=base)
    assert mine.stdout.strip() == str(ROOT / "naltrexone_lab" / "__init__.py"), mine
    site = Path(sysconfig.get_path("purelib", vars={"base": str(env)}))
    own_site = sysconfig.get_path("purelib")
    (site / "zz-test-environment.pth").write_text(own_site + "\n")
    # each package's commands, started by the environment's own Python (pip writes these)
    from importlib.metadata import distributions

    for dist in distributions(path=[str(site), own_site]):
        for ep in dist.entry_points:
            if ep.group != "console_scripts":
                continue
            script = env / "bin" / ep.name
            if script.exists() and dist.metadata["Name"] != "naltrexone-lab":
                continue
            module, _, attr = ep.value.partition(":")
            script.write_text(f"#!{env / 'bin' / 'python'}\nimport sys\nfrom {module} import "
                              f"{attr.split('.')[0]}\nif __name__ == '__main__':\n"
                              f"    sys.exit({attr}())\n")
            script.chmod(0o755)
    return env


_HUB_CONFIG = """
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_port}"
c.JupyterHub.db_url = "sqlite:///{hub_dir}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{hub_dir}/cookie_secret"
c.ConfigurableHTTPProxy.pid_file = "{hub_dir}/proxy.pid"
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = {users!r}
c.Authenticator.admin_users = {{{instructor!r}}}
c.Spawner.cmd = ["{env_bin}/jupyterhub-singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
# a terminal's shell keeps the server's environment (a login shell resets PATH from /etc/profile)
c.Spawner.args = ["--LabApp.expose_app_in_browser=True",
                  "--ServerApp.terminado_settings={{'shell_command': ['/bin/bash']}}"]
ENVIRONMENTS = {environments!r}


def per_user(spawner):
    # the instructor gets the course's instructor view; students the student view and the
    # self-check course (the guide, section "JupyterHub")
    role = "instructor" if spawner.user.name == {instructor!r} else "student"
    spawner.environment.update(ENVIRONMENTS[role])


c.Spawner.pre_spawn_hook = per_user
"""


@pytest.fixture(scope="module")
def hub():
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    base = Path(tempfile.mkdtemp(prefix="ntx-hub-", dir="/tmp"))
    base.chmod(0o755)
    users = (INSTRUCTOR, *STUDENTS)
    proc = None
    log = None
    try:
        python, libraries = _users_python(base)
        env_dir = _users_environment(base, python)
        site = Path(sysconfig.get_path("purelib", vars={"base": str(env_dir)}))
        assert (site / "naltrexone_lab" / "__init__.py").is_file(), site
        password = secrets.token_hex(12)
        for user in users:
            _remove_user(user)
            subprocess.run(["useradd", "-m", "-s", "/bin/bash", user], check=True)
            subprocess.run(["chpasswd"], input=f"{user}:{password}\n", text=True, check=True)
        exchange = base / "exchange"
        exchange.mkdir()
        exchange.chmod(0o777)
        # the image's global nbgrader configuration: course id and exchange, for everyone
        etc = base / "etc" / "jupyter"
        etc.mkdir(parents=True)
        (etc / "nbgrader_config.py").write_text(  # as the guide's /etc/jupyter/nbgrader_config.py
            "c = get_config()  # noqa: F821\n"
            f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
            f"c.Exchange.root = {str(exchange)!r}\n")
        for folder in (base / "etc", base / "etc" / "jupyter"):
            folder.chmod(0o755)
        shared = base / "shared"  # where the instructor puts the students' check course
        shared.mkdir()
        shutil.chown(shared, INSTRUCTOR, INSTRUCTOR)
        check_course = shared / "check"
        own_prefix = Path(sys.prefix)
        common = {
            "PATH": f"{env_dir / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            # the packages' Jupyter files (JupyterLab's extensions, nbgrader's server switches)
            # where this environment has them; the course's own switch is in env/etc/jupyter
            "JUPYTER_PATH": str(own_prefix / "share" / "jupyter"),
            "JUPYTER_CONFIG_PATH": f"{etc}:{own_prefix / 'etc' / 'jupyter'}",
            "NALTREXONE_SANDBOX": "auto",
            **({"LD_LIBRARY_PATH": libraries} if libraries else {}),
        }
        student_view = ROOT / "jupyter-config" / "hub-student"
        environments = {
            "instructor": dict(common),
            "student": dict(common, JUPYTER_CONFIG_PATH=f"{student_view}:{common['JUPYTER_CONFIG_PATH']}",
                            NALTREXONE_COURSE=str(check_course), NALTREXONE_REVEAL="off"),
        }
        # the instructor's course folder: the course's configuration and instructor notebooks
        course = Path(pwd.getpwnam(INSTRUCTOR).pw_dir) / "course"
        course.mkdir()
        shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
        shutil.copytree(ROOT / "solutions" / EX, course / "solutions" / EX)
        subprocess.run(["chown", "-R", f"{INSTRUCTOR}:{INSTRUCTOR}", str(course)], check=True)
        course.chmod(0o700)
        hub_dir = base / "hub"
        hub_dir.mkdir(mode=0o700)
        port, hub_port, proxy_port = free_port(), free_port(), free_port()
        (hub_dir / "jupyterhub_config.py").write_text(_HUB_CONFIG.format(
            port=port, hub_port=hub_port, proxy_port=proxy_port, hub_dir=hub_dir,
            users=set(users), instructor=INSTRUCTOR, env_bin=env_dir / "bin",
            environments=environments))
        log = open(hub_dir / "hub.log", "w")
        proc = subprocess.Popen([str(VENV_BIN / "jupyterhub"), "-f", "jupyterhub_config.py"],
                                cwd=hub_dir, stdout=log, stderr=subprocess.STDOUT,
                                env=dict(os.environ, PATH=f"{VENV_BIN}:{os.environ['PATH']}"))
        url = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/hub/api", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.5)
        else:
            raise RuntimeError("JupyterHub did not answer within 60 s:\n"
                               + (hub_dir / "hub.log").read_text()[-3000:])
        assert proc.poll() is None, (hub_dir / "hub.log").read_text()[-3000:]
        yield {"url": url, "password": password, "base": base, "course": course,
               "check_course": check_course, "log": hub_dir / "hub.log"}
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if log is not None:
            log.close()
            if ARTIFACTS.is_dir() or (base / "hub" / "hub.log").is_file():
                ARTIFACTS.mkdir(exist_ok=True)
                shutil.copy(base / "hub" / "hub.log", ARTIFACTS / "jupyterhub.log")
        for user in users:
            _remove_user(user)
        shutil.rmtree(base, ignore_errors=True)


def _login(browser, hub, user: str):
    """A browser context of the student's own, logged in on the hub's page, at JupyterLab."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{hub['url']}/hub/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", hub["password"])
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{user}/lab"), timeout=180_000)
    # a fresh layout: JupyterLab would restore the last visit's panels (a hidden second
    # Assignments panel then took the clicks)
    page.goto(f"{hub['url']}/user/{user}/lab?reset")
    page.wait_for_selector(".jp-LabShell", timeout=180_000)
    return context, page


def _assignments_panel(page):
    page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    panel = page.locator("#assignments >> visible=true")
    panel.wait_for(timeout=60_000)
    return panel


def _click_in_row(panel, section: str, button: str, timeout_s: float = 90) -> None:
    """Click ``button`` in the ex01 row of the panel's ``section`` (refreshing until it shows)."""
    rows = panel.locator(f"#{section} .list_item", has_text=EX)
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if rows.count() and rows.first.get_by_role("button", name=button).count():
            rows.first.get_by_role("button", name=button).click()
            return
        panel.locator("#refresh_assignments_list").click()
        time.sleep(2)
    raise AssertionError(f"no {button!r} for {EX} in {section}: {panel.inner_text()[:800]}")


def _xsrf_put(page, user: str, path: str, content: dict) -> int:
    """Save ``content`` (a notebook) to ``path`` through the user's contents API, as JupyterLab's
    save does (same session cookie and XSRF token)."""
    return page.evaluate("""async ([user, path, content]) => {
        const xsrf = document.cookie.split('; ').find(c => c.startsWith('_xsrf='));
        const r = await fetch(`/user/${user}/api/contents/${path}`, {method: 'PUT',
            headers: {'Content-Type': 'application/json',
                      'X-XSRFToken': xsrf ? decodeURIComponent(xsrf.split('=')[1]) : ''},
            body: JSON.stringify({type: 'notebook', format: 'json', content})});
        return r.status;
    }""", [user, path, content])


def _open_and_check(page, user: str, path: str) -> str:
    """Open the notebook, run its check cell (the last), and return what it shows."""
    page.evaluate("p => window.jupyterapp.commands.execute('docmanager:open', {path: p})", path)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    from browser_support import _run_last_cell, _wait_for_kernel

    assert _wait_for_kernel(page) == "idle"
    _run_last_cell(page)
    result = page.locator(".jp-Notebook .jp-Cell").last.locator(".jp-OutputArea-output")
    result.filter(has_text=re.compile(r"\d+ */ *\d+|could not|error", re.I)).first.wait_for(
        timeout=240_000)
    return result.first.inner_text()


_NBGRADER_COMMANDS_JS = """() => Object.fromEntries(['nbgrader:open-assignment-list',
    'nbgrader:open-formgrader', 'nbgrader:open-course-list', 'nbgrader:open-create-assignment']
    .map(c => [c, window.jupyterapp.commands.hasCommand(c)]))"""


def _in_terminal(page, terminal, user: str, command: str, timeout_s: float = 600) -> str:
    """Type ``command`` into the JupyterLab terminal ``terminal`` and press Enter, as the
    instructor does; wait for it to finish and return its output. The command line writes its
    output and exit status to files in the user's home, which the test reads (xterm.js draws the
    terminal's text on a canvas, not into the page)."""
    home = Path(pwd.getpwnam(user).pw_dir)
    status, log = home / ".ntx-step.status", home / ".ntx-step.log"
    status.unlink(missing_ok=True)
    terminal.click()
    page.keyboard.type(f"({command}) > ~/.ntx-step.log 2>&1; echo $? > ~/.ntx-step.status")
    page.keyboard.press("Enter")
    deadline = time.time() + timeout_s
    while not (status.is_file() and status.read_text().strip()) and time.time() < deadline:
        time.sleep(0.5)
    assert status.is_file(), f"{user}$ {command}: no end within {timeout_s:.0f} s"
    out = log.read_text() if log.is_file() else ""
    assert status.read_text().strip() == "0", f"{user}$ {command}\n{out[-3000:]}"
    return out


def test_a_class_on_jupyterhub_from_release_to_feedback(hub):
    from playwright.sync_api import sync_playwright

    # the instructor's folder is theirs alone (the guide: chmod 700): no student reads solutions
    for student in STUDENTS:
        peek = subprocess.run(["runuser", "-u", student, "--", "cat",
                               str(hub["course"] / "solutions" / EX / f"{EX}.ipynb")],
                              capture_output=True, text=True)
        assert peek.returncode != 0 and "Permission denied" in peek.stderr, peek
    shown, sessions = {}, {}
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_FLAGS))
        try:
            # the instructor, in a terminal of their JupyterLab, releases ex01 and makes the
            # students' self-check course
            _, lab = _login(browser, hub, INSTRUCTOR)
            assert all(lab.evaluate(_NBGRADER_COMMANDS_JS).values())
            lab.evaluate("() => window.jupyterapp.commands.execute('terminal:create-new')")
            terminal = lab.locator(".jp-Terminal >> visible=true")
            terminal.wait_for(timeout=60_000)

            def instructor(command: str) -> str:
                return _in_terminal(lab, terminal, INSTRUCTOR, f"cd ~/course && {command}")

            instructor(f"nbgrader generate_assignment {EX} --force && "
                       f"nbgrader release_assignment {EX} --force")
            out = instructor(f"naltrexone-course student-check {hub['check_course']} --exercise {EX}")
            assert "Students' self-check course" in out
            lab.screenshot(path=str(ARTIFACTS / "hub-instructor-terminal.png"))
            released = nbformat.read(str(hub["course"] / "exercises" / EX / f"{EX}.ipynb"), as_version=4)
            teacher = nbformat.read(str(solution_notebook(EX)), as_version=4)
            typed = {c.metadata["nbgrader"]["grade_id"]: "\n".join(
                line for line in c.source.splitlines() if "SOLUTION" not in line)
                for c in teacher.cells if c.metadata.get("nbgrader", {}).get("solution")}
            answered = {"ntxada": fill_in_solutions(released, teacher, typed), "ntxben": None}
            for student in STUDENTS:
                context, page = _login(browser, hub, student)
                # the students' view (jupyter-config/hub-student): no formgrader, no course
                # list, no create-assignment, while the instructor's JupyterLab has them
                assert page.evaluate(_NBGRADER_COMMANDS_JS) == {
                    "nbgrader:open-assignment-list": True, "nbgrader:open-formgrader": False,
                    "nbgrader:open-course-list": False, "nbgrader:open-create-assignment": False}
                panel = _assignments_panel(page)
                _click_in_row(panel, "released_assignments_list", "Fetch")
                nb_path = f"{EX}/{EX}.ipynb"
                home = Path(pwd.getpwnam(student).pw_dir)
                deadline = time.time() + 60
                while not (home / nb_path).is_file() and time.time() < deadline:
                    time.sleep(1)
                assert (home / nb_path).is_file(), f"{student}: fetch left no notebook"
                if answered[student] is not None:
                    assert _xsrf_put(page, student, nb_path, answered[student]) == 200
                shown[student] = _open_and_check(page, student, nb_path)
                page.locator(".jp-Notebook .jp-Cell").last.locator(
                    ".jp-OutputArea-output").first.scroll_into_view_if_needed()
                page.screenshot(path=str(ARTIFACTS / f"hub-{student}-check.png"))
                page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
                panel = _assignments_panel(page)
                _click_in_row(panel, "fetched_assignments_list", "Submit")
                panel.locator("#submitted_assignments_list .list_item", has_text=EX).first.wait_for(
                    timeout=120_000)
                sessions[student] = context, page

            assert re.search(r"\b12 */ *12\b", shown["ntxada"]), shown["ntxada"]
            assert re.search(r"\b0 */ *12\b", shown["ntxben"]), shown["ntxben"]

            # the instructor collects, grades, writes and releases the feedback
            lab.bring_to_front()
            instructor(f"nbgrader collect {EX}")
            submitted = sorted(p.name for p in (hub["course"] / "submitted").rglob("*") if p.is_file())
            # the notebook and nbgrader's own two files; the self-check's report stayed home
            assert submitted == sorted([f"{EX}.ipynb", "submission_secret.txt", "timestamp.txt"] * 2), \
                submitted
            graded = instructor(f"naltrexone-course grade {EX} --jobs 2")
            assert re.search(r"ntxada.*12", graded) and re.search(r"ntxben.*\b0", graded), graded
            instructor(f"naltrexone-course feedback {EX} && nbgrader release_feedback {EX}")

            for student in STUDENTS:  # back in the same browser, its Assignments panel open
                context, page = sessions[student]
                page.bring_to_front()
                panel = _assignments_panel(page)
                _click_in_row(panel, "submitted_assignments_list", "Fetch Feedback")
                home = Path(pwd.getpwnam(student).pw_dir)
                deadline = time.time() + 60
                pages = []
                while not pages and time.time() < deadline:
                    pages = list((home / EX / "feedback").glob(f"*/{EX}.html"))
                    time.sleep(1)
                assert pages, f"{student}: no feedback page fetched"
                text = pages[0].read_text()
                assert "BEGIN HIDDEN TESTS" not in text and "_rng" not in text
                rel = pages[0].relative_to(home)
                page.goto(f"{hub['url']}/user/{student}/files/{rel}")
                body = page.locator("body").inner_text()
                page.screenshot(path=str(ARTIFACTS / f"hub-{student}-feedback.png"), full_page=False)
                score = "12" if student == "ntxada" else "0"
                assert re.search(rf"Score: {score}(\.0)? */ *16", body), body[:800]
                context.close()
        finally:
            browser.close()
    assert "Traceback" not in hub["log"].read_text(), hub["log"].read_text()[-3000:]
