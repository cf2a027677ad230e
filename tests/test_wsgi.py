import importlib

from documents import rendering


def test_a_web_worker_loads_the_pdf_fonts_before_its_first_request():
    if hasattr(rendering._local, "renderer"):
        del rendering._local.renderer
    import config.wsgi

    importlib.reload(config.wsgi)

    assert callable(config.wsgi.application)
    assert hasattr(rendering._local, "renderer")
