"""Gesture engine: segmentation, measures, classification and direction (SPEC 1-4)."""
