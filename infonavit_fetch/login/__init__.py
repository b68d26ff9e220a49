"""The login: the conversation with its pages, the form, the captcha and its picture, the credentials."""
