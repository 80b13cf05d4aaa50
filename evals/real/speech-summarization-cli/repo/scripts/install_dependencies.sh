#!/bin/bash

poetry add openai
poetry add luigi
poetry add --group dev pytest
poetry add --group dev black
poetry add --group dev isort
poetry add --group dev flake8
poetry add --group dev ipython