"""An upload handler that stops reading a file as soon as it passes the import's size limit,
so that a 200 MB upload is never written to disk, even without a Content-Length."""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitHandler(FileUploadHandler):
    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=False)  # the rest is read, never stored
        return raw_data

    def file_complete(self, file_size):
        return None
