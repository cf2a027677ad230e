import importlib

from documents import rendering


def test_a_web_worker_loads_the_pdf_fonts_before_its_first_request():
    if hasattr(rendering._local, "renderer"):
        del rendering._local.renderer
    import config.wsgi

    importlib.reload(config.wsgi)

    assert callable(config.wsgi.application)
    assert hasattr(rendering._local, "renderer")


def test_what_a_web_worker_loaded_to_start_is_left_out_of_the_garbage_collector():
    import gc

    import config.wsgi

    gc.unfreeze()
    importlib.reload(config.wsgi)

    assert gc.get_freeze_count() > 10_000
    gc.unfreeze()
