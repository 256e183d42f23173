"""Gesture engine: segmentation, measures, classification and direction."""
