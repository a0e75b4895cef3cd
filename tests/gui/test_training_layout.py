"""The training page at a classroom projector's 1024×768: nothing scrolls sideways and both plots lie whole
inside the window (pyqtgraph clips a plot that does not fit rather than scrolling it)."""

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtWidgets import QApplication, QScrollArea


@pytest.fixture
def window(qtbot, tmp_path):
    from nnsim.gui.app import create_window

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = create_window(settings=settings, recovery_dir=tmp_path / "recovery")
    yield w
    w.document.undo_stack.setClean()
    w.shutdown()
    w.close()
    w.deleteLater()
    qtbot.wait(1)


def _inside(window, widget, rect: QRect | None = None) -> bool:
    rect = rect if rect is not None else widget.rect()
    top_left = widget.mapTo(window, rect.topLeft())
    return window.rect().contains(QRect(top_left, rect.size()))


@pytest.mark.parametrize("size, lessons", [((1024, 768), False), ((1024, 768), True), ((1280, 720), True)])
def test_the_training_page_fits_the_window_without_sideways_scrolling(qtbot, window, size, lessons):
    from nnsim.gui.training.page import TrainingPage

    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    assert window.show_page("training")
    if lessons:   # the lessons panel open beside the pages takes a quarter of a 1024-pixel screen
        window.show_lessons()
    page = window.findChild(TrainingPage)
    qtbot.waitUntil(lambda: page.isVisible() and page.plots._glw.width() > 0)
    QApplication.processEvents()

    area = page.parentWidget()
    while not isinstance(area, QScrollArea):
        area = area.parentWidget()
    assert area.horizontalScrollBar().maximum() == 0, "the training page scrolls sideways"
    assert page.minimumSizeHint().width() <= area.viewport().width()

    glw = page.plots._glw
    assert _inside(window, glw)
    layout_min = glw.ci.effectiveSizeHint(Qt.SizeHint.MinimumSize).width()
    assert layout_min <= glw.width(), "the plots need more width than they have: the right one is clipped"
    for plot in (page.plots.cost_plot, page.plots.acc_plot):
        rect = glw.mapFromScene(plot.sceneBoundingRect()).boundingRect()
        assert glw.rect().contains(rect), f"{plot.titleLabel.text[:30]!r} is clipped: {rect} in {glw.rect()}"
        title = glw.mapFromScene(plot.titleLabel.sceneBoundingRect()).boundingRect()
        assert glw.rect().contains(title)
        assert plot.getViewBox().height() > 60   # a data area, not a sliver
    for widget in (page.plots.header.itemAt(i).widget() for i in range(page.plots.header.count())):
        if widget is not None and widget.isVisible():
            assert _inside(window, widget), widget
    controls = page.svm_box.parentWidget()   # the controls column, in its own (vertical) scroll area
    assert controls.minimumSizeHint().width() <= controls.width()
    for button in (page.svm_box.fit_button, page.svm_box.cancel_button, page.reset_button):
        left = button.mapTo(window, QPoint(0, 0)).x()
        assert 0 <= left and left + button.width() <= window.width(), button.text()   # below the fold is fine


@pytest.mark.parametrize("size, least", [((1024, 768), 110), ((1280, 720), 150), ((1920, 1080), 200)])
def test_the_training_plots_have_room(qtbot, window, size, least):
    """Issue 11's floor for every visible plot's data area; the 280-pixel digit pad scrolls inside its tab
    instead of taking the height from the cost and accuracy plots."""
    from nnsim.gui.training.page import TrainingPage

    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    assert window.show_page("training")
    page = window.findChild(TrainingPage)
    qtbot.waitUntil(lambda: page.isVisible() and page.plots._glw.width() > 0)
    QApplication.processEvents()
    heights = [plot.getViewBox().sceneBoundingRect().height() for plot in (page.plots.cost_plot, page.plots.acc_plot)]
    assert min(heights) >= least, heights
