"""The one exception the LRS raises for a request it refuses: status code and reason."""


class XAPIError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message
