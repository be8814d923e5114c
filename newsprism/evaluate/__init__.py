"""newsprism.evaluate"""
