/**
 * BOOT: data-free distillation of a diffusion teacher into a one-step student (Gu et al., arXiv
 * 2306.05544). {@link dev.kiln.diffusion.boot.BootTask} is the training objective (teacher and student in
 * one training graph), {@link dev.kiln.diffusion.boot.BootSampler} samples the student in one model call,
 * {@link dev.kiln.diffusion.boot.ProgressiveDistillation} is the baseline (Salimans and Ho, arXiv
 * 2202.00512), and {@link dev.kiln.diffusion.boot.BootExperiment} reproduces the comparison in
 * {@code docs/reproductions/boot.md}.
 */
package dev.kiln.diffusion.boot;
