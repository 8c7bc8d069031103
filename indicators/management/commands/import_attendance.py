from agencies.management.import_command import ImportCommand


class Command(ImportCommand):
    kind = "attendance"
