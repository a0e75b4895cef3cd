"""Light, dark or the system's colours: View › Theme, ``nnsim gui --theme``, remembered in the settings.

Light and dark use Qt's Fusion style with a fixed palette (the same on every desktop); "system" puts back
the style and palette the application started with. Canvas items and plots read :func:`nnsim.gui.style.theme`,
which follows the application palette, so a switch only needs the repaint a palette change triggers.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QActionGroup, QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("light", "dark", "system")
SETTING = "view/theme"

_DARK = {
    QPalette.ColorRole.Window: "#2b2e33", QPalette.ColorRole.WindowText: "#e8eaed",
    QPalette.ColorRole.Base: "#1e2126", QPalette.ColorRole.AlternateBase: "#2b2e33",
    QPalette.ColorRole.Text: "#e8eaed", QPalette.ColorRole.Button: "#33373d",
    QPalette.ColorRole.ButtonText: "#e8eaed", QPalette.ColorRole.BrightText: "#ffffff",
    QPalette.ColorRole.Highlight: "#4fb3ff", QPalette.ColorRole.HighlightedText: "#101214",
    QPalette.ColorRole.ToolTipBase: "#33373d", QPalette.ColorRole.ToolTipText: "#e8eaed",
    QPalette.ColorRole.PlaceholderText: "#9aa1ab", QPalette.ColorRole.Link: "#7ab8ff",
    QPalette.ColorRole.Light: "#454a52", QPalette.ColorRole.Midlight: "#3a3f47",
    QPalette.ColorRole.Mid: "#2f3338", QPalette.ColorRole.Dark: "#181a1e", QPalette.ColorRole.Shadow: "#0d0e10",
}
_DISABLED_DARK = {QPalette.ColorRole.WindowText: "#7d838c", QPalette.ColorRole.Text: "#7d838c",
                  QPalette.ColorRole.ButtonText: "#7d838c"}

_system: dict = {}   # the style name and palette the application started with


def dark_palette() -> QPalette:
    p = QPalette()
    for role, colour in _DARK.items():
        p.setColor(role, QColor(colour))
    for role, colour in _DISABLED_DARK.items():
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return p


def _remember_system(app: QApplication) -> None:
    if not _system:
        _system["style"] = app.style().name()
        _system["palette"] = QPalette(app.palette())


def apply_theme(name: str) -> str:
    """Switch the application to ``name`` (light, dark or system); returns the name applied."""
    if name not in THEMES:
        raise ValueError(f"theme {name!r}: choose one of {', '.join(THEMES)}")
    app = QApplication.instance()
    _remember_system(app)
    if name == "system":
        app.setStyle(QStyleFactory.create(_system["style"]) or app.style())
        app.setPalette(_system["palette"])
    else:
        fusion = QStyleFactory.create("Fusion")
        app.setStyle(fusion)
        app.setPalette(dark_palette() if name == "dark" else app.style().standardPalette())
    return name


def saved_theme(settings: QSettings) -> str:
    value = str(settings.value(SETTING, "system") or "system")
    return value if value in THEMES else "system"


def add_theme_menu(window, menu) -> dict[str, QAction]:
    """A View › Theme submenu for ``window`` (a MainWindow with ``settings``): light, dark, follow the system.
    Choosing one applies it and remembers it."""
    sub = menu.addMenu("&Theme")
    group = QActionGroup(window)
    group.setExclusive(True)
    actions = {}
    current = getattr(window, "theme_name", saved_theme(window.settings))
    for name, text in (("light", "&Light"), ("dark", "&Dark"), ("system", "Follow the &System")):
        a = QAction(text, window)
        a.setCheckable(True)
        a.setChecked(name == current)
        a.setToolTip(f"Use the {name} colours" if name != "system" else "Use the desktop's colours")
        a.triggered.connect(lambda checked=False, n=name: set_window_theme(window, n))
        group.addAction(a)
        sub.addAction(a)
        actions[name] = a
    window.theme_actions = actions
    return actions


def set_window_theme(window, name: str, remember: bool = True) -> None:
    """Apply ``name``, tick it in the menu and (``remember``) store it in the window's settings."""
    apply_theme(name)
    window.theme_name = name
    for n, a in getattr(window, "theme_actions", {}).items():
        a.setChecked(n == name)
    if remember:
        window.settings.setValue(SETTING, name)
