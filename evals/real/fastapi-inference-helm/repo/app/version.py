VERSION = "1.0.0"
GIT_SHA = "dev"