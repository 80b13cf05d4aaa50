#!/bin/bash

rm -r ./data/cleanse_text
rm -r ./data/split_text 
rm -r ./data/summarize_text