"""newsprism.distributed"""
