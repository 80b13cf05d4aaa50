from django.apps import AppConfig


class GdscaecConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'gdscaec'
